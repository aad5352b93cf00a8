// y = A^T x, A row-major m x n: one output per column.
// transverify: shape A=m*n, x=m, y=n
void gemv_t(int m, int n, const double* A, const double* x, double* y) {
    for (int j = 0; j < n; ++j) {
        double acc = 0.0;
        for (int i = 0; i < m; ++i) acc += A[i * n + j] * x[i];
        y[j] = acc;
    }
}
