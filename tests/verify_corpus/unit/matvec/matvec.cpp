// y = A x; A is m-by-n, column-major (element (i,j) at a[i + j*m]).
void matvec(int m, int n, const double* a, const double* x, double* y) {
    for (int i = 0; i < m; ++i) {
        y[i] = 0.0;
    }
    for (int j = 0; j < n; ++j) {
        for (int i = 0; i < m; ++i) {
            y[i] += a[i + j * m] * x[j];
        }
    }
}
