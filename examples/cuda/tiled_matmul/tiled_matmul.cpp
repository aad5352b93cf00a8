// C = A * B for square n x n row-major matrices.
void tiled_matmul(int n, const float* A, const float* B, float* C) {
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            float acc = 0.0f;
            for (int p = 0; p < n; ++p) acc += A[i * n + p] * B[p * n + j];
            C[i * n + j] = acc;
        }
}
