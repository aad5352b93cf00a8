// Suffix sums of each row, one thread per row: a loop over the columns stores, and the sum inside it
// starts at that loop's variable (y[r][j] = x[r][j] + ... + x[r][n - 1]).
// transverify: shape x=rows*n, y=rows*n
__global__ void suffix_rows_kernel(int rows, int n, const float* x, float* y) {
    int r = blockIdx.x * blockDim.x + threadIdx.x;
    if (r < rows) {
        for (int j = 0; j < n; ++j) {
            float acc = 0.0f;
            for (int p = j; p < n; ++p) acc += x[r * n + p];
            y[r * n + j] = acc;
        }
    }
}

void suffix_rows(int rows, int n, const float* x, float* y) {
    float *dx, *dy;
    cudaMalloc(&dx, rows * n * sizeof(float)); cudaMalloc(&dy, rows * n * sizeof(float));
    cudaMemcpy(dx, x, rows * n * sizeof(float), cudaMemcpyHostToDevice);
    suffix_rows_kernel<<<(rows + 31) / 32, 32>>>(rows, n, dx, dy);
    cudaMemcpy(y, dy, rows * n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dy);
}
