// 2-D grid of 2-D blocks.
__global__ void relu_kernel(int rows, int cols, double scale, const double* x, double* y) {
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    int r = blockIdx.y * blockDim.y + threadIdx.y;
    if (r < rows && c < cols) y[r * cols + c] = fmax(x[c * rows + r], 0.0) * scale;
}

void relu2d(int rows, int cols, double scale, const double* x, double* y) {
    size_t bytes = (size_t)rows * cols * sizeof(double);
    double *dx, *dy;
    cudaMalloc(&dx, bytes); cudaMalloc(&dy, bytes);
    cudaMemcpy(dx, x, bytes, cudaMemcpyHostToDevice);
    dim3 block(32, 4);
    dim3 grid((cols + block.x - 1) / block.x, (rows + block.y - 1) / block.y);
    relu_kernel<<<grid, block>>>(rows, cols, scale, dx, dy);
    cudaMemcpy(y, dy, bytes, cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dy);
}
