// One thread per row: max, sum of exponentials, then a loop that writes the row.
// transverify: shape x=rows*cols, y=rows*cols
__global__ void softmax_rows_kernel(int rows, int cols, const float* x, float* y) {
    int r = blockIdx.x * blockDim.x + threadIdx.x;
    if (r >= rows) return;
    const float* row = x + r * cols;
    float m = -INFINITY;
    for (int c = 0; c < cols; ++c) m = fmaxf(m, row[c]);
    float s = 0.0f;
    for (int c = 0; c < cols; ++c) s += expf(row[c] - m);
    for (int c = 0; c < cols; ++c) y[r * cols + c] = expf(row[c] - m) / s;
}

void softmax_rows(int rows, int cols, const float* x, float* y) {
    size_t bytes = rows * cols * sizeof(float);
    float *dx, *dy;
    cudaMalloc(&dx, bytes); cudaMalloc(&dy, bytes);
    cudaMemcpy(dx, x, bytes, cudaMemcpyHostToDevice);
    softmax_rows_kernel<<<(rows + 63) / 64, 64>>>(rows, cols, dx, dy);
    cudaMemcpy(y, dy, bytes, cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dy);
}
