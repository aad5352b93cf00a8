// y = A x, A row-major m x n.
// transverify: shape A=m*n, x=n, y=m
void gemv(int m, int n, const float* A, const float* x, float* y) {
    for (int i = 0; i < m; ++i) {
        float acc = 0.0f;
        for (int j = 0; j < n; ++j) acc += A[i * n + j] * x[j];
        y[i] = acc;
    }
}
