// C = alpha * A * B + beta * C with shared-memory tiles (BLAS sgemm, no transposes), sizes m, n, k.
// transverify: shape A=m*k, B=k*n, C=m*n
#define TILE 8
__global__ void sgemm_kernel(int m, int n, int k, float alpha, const float* A, const float* B, float beta,
                             float* C) {
    __shared__ float As[TILE][TILE];
    __shared__ float Bs[TILE][TILE];
    int row = blockIdx.y * TILE + threadIdx.y, col = blockIdx.x * TILE + threadIdx.x;
    float acc = 0.0f;
    for (int t = 0; t < (k + TILE - 1) / TILE; ++t) {
        int ac = t * TILE + threadIdx.x, br = t * TILE + threadIdx.y;
        As[threadIdx.y][threadIdx.x] = (row < m && ac < k) ? A[row * k + ac] : 0.0f;
        Bs[threadIdx.y][threadIdx.x] = (br < k && col < n) ? B[br * n + col] : 0.0f;
        __syncthreads();
        for (int p = 0; p < TILE; ++p) acc += As[threadIdx.y][p] * Bs[p][threadIdx.x];
        __syncthreads();
    }
    if (row < m && col < n) C[row * n + col] = alpha * acc + beta * C[row * n + col];
}

void sgemm(int m, int n, int k, float alpha, const float* A, const float* B, float beta, float* C) {
    float *dA, *dB, *dC;
    cudaMalloc(&dA, m * k * sizeof(float)); cudaMalloc(&dB, k * n * sizeof(float)); cudaMalloc(&dC, m * n * sizeof(float));
    cudaMemcpy(dA, A, m * k * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dB, B, k * n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dC, C, m * n * sizeof(float), cudaMemcpyHostToDevice);
    dim3 block(TILE, TILE), grid((n + TILE - 1) / TILE, (m + TILE - 1) / TILE);
    sgemm_kernel<<<grid, block>>>(m, n, k, alpha, dA, dB, beta, dC);
    cudaMemcpy(C, dC, m * n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dA); cudaFree(dB); cudaFree(dC);
}
