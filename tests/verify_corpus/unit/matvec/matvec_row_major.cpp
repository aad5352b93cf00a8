// Indexes A as if it were stored row-major (C habit).
void matvec(int m, int n, const double* a, const double* x, double* y) {
    for (int i = 0; i < m; ++i) {
        double acc = 0.0;
        for (int j = 0; j < n; ++j) {
            acc += a[i * n + j] * x[j];
        }
        y[i] = acc;
    }
}
