// C = alpha * A B + beta * C; A m x k, B k x n, C m x n, row-major.
// transverify: shape A=m*k, B=k*n, C=m*n
void gemm(int m, int n, int k, float alpha, float beta, const float* A, const float* B, float* C) {
    for (int i = 0; i < m; ++i) {
        for (int j = 0; j < n; ++j) {
            float acc = 0.0f;
            for (int p = 0; p < k; ++p) acc += A[i * k + p] * B[p * n + j];
            C[i * n + j] = alpha * acc + beta * C[i * n + j];
        }
    }
}
