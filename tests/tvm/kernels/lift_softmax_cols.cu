// Softmax down each column, one thread per column (strided reductions, a loop that stores).
// transverify: shape x=rows*cols, y=rows*cols
__global__ void softmax_cols_kernel(int rows, int cols, const float* x, float* y) {
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    if (c >= cols) return;
    float m = -INFINITY;
    for (int r = 0; r < rows; ++r) m = fmaxf(m, x[r * cols + c]);
    float s = 0.0f;
    for (int r = 0; r < rows; ++r) s += expf(x[r * cols + c] - m);
    for (int r = 0; r < rows; ++r) y[r * cols + c] = expf(x[r * cols + c] - m) / s;
}

void softmax_cols(int rows, int cols, const float* x, float* y) {
    size_t bytes = (size_t)rows * cols * sizeof(float);
    float *dx, *dy;
    cudaMalloc(&dx, bytes); cudaMalloc(&dy, bytes);
    cudaMemcpy(dx, x, bytes, cudaMemcpyHostToDevice);
    softmax_cols_kernel<<<(cols + 63) / 64, 64>>>(rows, cols, dx, dy);
    cudaMemcpy(y, dy, bytes, cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dy);
}
