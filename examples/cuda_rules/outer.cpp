// Outer product: A = x y^T (m x n).
// transverify: shape x=m, y=n, A=m*n
void outer(int m, int n, const double* x, const double* y, double* A) {
    for (int i = 0; i < m; ++i)
        for (int j = 0; j < n; ++j) A[i * n + j] = x[i] * y[j];
}
