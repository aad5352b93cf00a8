// Naive GEMM with alpha and beta, C = alpha * A B + beta * C (C read and written at the thread's cell).
// transverify: shape A=m*k, B=k*n, C=m*n
__global__ void gemm_ab_kernel(int m, int n, int k, float alpha, float beta, const float* A, const float* B,
                               float* C) {
    int col = blockIdx.x * blockDim.x + threadIdx.x;
    int row = blockIdx.y * blockDim.y + threadIdx.y;
    if (row < m && col < n) {
        float acc = 0.0f;
        for (int p = 0; p < k; ++p) acc += A[row * k + p] * B[p * n + col];
        C[row * n + col] = alpha * acc + beta * C[row * n + col];
    }
}

void gemm_ab(int m, int n, int k, float alpha, float beta, const float* A, const float* B, float* C) {
    float *dA, *dB, *dC;
    cudaMalloc(&dA, m * k * sizeof(float)); cudaMalloc(&dB, k * n * sizeof(float)); cudaMalloc(&dC, m * n * sizeof(float));
    cudaMemcpy(dA, A, m * k * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dB, B, k * n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dC, C, m * n * sizeof(float), cudaMemcpyHostToDevice);
    dim3 block(16, 16), grid((n + 15) / 16, (m + 15) / 16);
    gemm_ab_kernel<<<grid, block>>>(m, n, k, alpha, beta, dA, dB, dC);
    cudaMemcpy(C, dC, m * n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dA); cudaFree(dB); cudaFree(dC);
}
