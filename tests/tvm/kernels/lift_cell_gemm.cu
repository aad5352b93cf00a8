// GEMM that accumulates straight into its output cell: the cell is scaled by beta, then a loop adds
// alpha * A * B into it. The sizes and the element type are macros, and the loop variable is declared
// before its loop. 100 rows: three row blocks of the GEMM schedule, run in parallel.
#define ELEM float
#define M_ROWS 100
#define N_COLS 40
#define K_DEPTH 5

// transverify: shape A=500, B=200, C=4000
__global__ void scaled_product(ELEM alpha, ELEM beta, const ELEM* A, const ELEM* B, ELEM* C) {
    int col = blockIdx.x * blockDim.x + threadIdx.x;
    int row = blockIdx.y * blockDim.y + threadIdx.y;
    if (row < M_ROWS && col < N_COLS) {
        C[row * N_COLS + col] *= beta;
        int p;
        for (p = 0; p < K_DEPTH; p++)
            C[row * N_COLS + col] += alpha * A[row * K_DEPTH + p] * B[p * N_COLS + col];
    }
}

void scaled_product_host(float alpha, float beta, const float* A, const float* B, float* C) {
    float *dA, *dB, *dC;
    cudaMalloc(&dA, 500 * sizeof(float)); cudaMalloc(&dB, 200 * sizeof(float)); cudaMalloc(&dC, 4000 * sizeof(float));
    cudaMemcpy(dA, A, 500 * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dB, B, 200 * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dC, C, 4000 * sizeof(float), cudaMemcpyHostToDevice);
    dim3 block(4, 4), grid((N_COLS + 3) / 4, (M_ROWS + 3) / 4);
    scaled_product<<<grid, block>>>(alpha, beta, dA, dB, dC);
    cudaMemcpy(C, dC, 4000 * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dA); cudaFree(dB); cudaFree(dC);
}
