// One thread per row: a sum reduction.
// transverify: shape x=rows*cols, y=rows
__global__ void rowsum_kernel(int rows, int cols, const float* x, float* y) {
    int r = blockIdx.x * blockDim.x + threadIdx.x;
    if (r < rows) {
        float s = 0.0f;
        for (int c = 0; c < cols; ++c) s += x[r * cols + c];
        y[r] = s;
    }
}

void rowsum(int rows, int cols, const float* x, float* y) {
    float *dx, *dy;
    cudaMalloc(&dx, rows * cols * sizeof(float)); cudaMalloc(&dy, rows * sizeof(float));
    cudaMemcpy(dx, x, rows * cols * sizeof(float), cudaMemcpyHostToDevice);
    rowsum_kernel<<<(rows + 127) / 128, 128>>>(rows, cols, dx, dy);
    cudaMemcpy(y, dy, rows * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dy);
}
