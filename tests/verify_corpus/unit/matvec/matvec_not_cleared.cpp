// Forgets that y is intent(out): accumulates onto whatever y held before.
void matvec(int m, int n, const double* a, const double* x, double* y) {
    for (int j = 0; j < n; ++j) {
        for (int i = 0; i < m; ++i) {
            y[i] += a[i + j * m] * x[j];
        }
    }
}
