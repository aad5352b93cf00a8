// Two launches in one entry, run in order: the first sums each row into `total`, the second divides
// the row by the sum the first stored (it reads `total` as the first launch left it).
// transverify: shape x=rows*cols, total=rows, y=rows*cols
__global__ void row_totals(int rows, int cols, const float* x, float* total) {
    int r = blockIdx.x * blockDim.x + threadIdx.x;
    if (r < rows) {
        total[r] = 1.0f;
        for (int c = 0; c < cols; ++c) total[r] += x[r * cols + c] * x[r * cols + c];
    }
}

__global__ void divide_rows(int rows, int cols, const float* x, const float* total, float* y) {
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    int r = blockIdx.y * blockDim.y + threadIdx.y;
    if (r < rows && c < cols) y[r * cols + c] = x[r * cols + c] / total[r];
}

void normalise_rows(int rows, int cols, const float* x, float* total, float* y) {
    float *dx, *dtotal, *dy;
    cudaMalloc(&dx, rows * cols * sizeof(float)); cudaMalloc(&dtotal, rows * sizeof(float));
    cudaMalloc(&dy, rows * cols * sizeof(float));
    cudaMemcpy(dx, x, rows * cols * sizeof(float), cudaMemcpyHostToDevice);
    row_totals<<<(rows + 31) / 32, 32>>>(rows, cols, dx, dtotal);
    dim3 block(16, 4), grid((cols + 15) / 16, (rows + 3) / 4);
    divide_rows<<<grid, block>>>(rows, cols, dx, dtotal, dy);
    cudaMemcpy(total, dtotal, rows * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(y, dy, rows * cols * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dtotal); cudaFree(dy);
}
