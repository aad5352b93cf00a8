// C = A B with 16x16 shared-memory tiles; A m x k, B k x n, row-major.
// transverify: shape A=m*k, B=k*n, C=m*n
#define TILE 16
__global__ void gemm_tiled(int m, int n, int k, const float* A, const float* B, float* C) {
    __shared__ float As[TILE][TILE];
    __shared__ float Bs[TILE][TILE];
    int row = blockIdx.y * TILE + threadIdx.y;
    int col = blockIdx.x * TILE + threadIdx.x;
    float acc = 0.0f;
    for (int t = 0; t < (k + TILE - 1) / TILE; ++t) {
        int ac = t * TILE + threadIdx.x, br = t * TILE + threadIdx.y;
        As[threadIdx.y][threadIdx.x] = row < m && ac < k ? A[row * k + ac] : 0.0f;
        Bs[threadIdx.y][threadIdx.x] = br < k && col < n ? B[br * n + col] : 0.0f;
        __syncthreads();
        for (int p = 0; p < TILE; ++p) acc += As[threadIdx.y][p] * Bs[p][threadIdx.x];
        __syncthreads();
    }
    if (row < m && col < n) C[row * n + col] = acc;
}

void gemm(int m, int n, int k, const float* A, const float* B, float* C) {
    float *dA, *dB, *dC;
    cudaMalloc(&dA, (size_t)m * k * sizeof(float));
    cudaMalloc(&dB, (size_t)k * n * sizeof(float));
    cudaMalloc(&dC, (size_t)m * n * sizeof(float));
    cudaMemcpy(dA, A, (size_t)m * k * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dB, B, (size_t)k * n * sizeof(float), cudaMemcpyHostToDevice);
    dim3 block(TILE, TILE), grid((n + TILE - 1) / TILE, (m + TILE - 1) / TILE);
    gemm_tiled<<<grid, block>>>(m, n, k, dA, dB, dC);
    cudaMemcpy(C, dC, (size_t)m * n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dA); cudaFree(dB); cudaFree(dC);
}
