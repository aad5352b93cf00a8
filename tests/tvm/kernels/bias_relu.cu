// Broadcast a per-column bias over a 2-D grid, then clamp with a conditional expression.
// transverify: shape x=rows*cols, bias=cols, y=rows*cols
__global__ void bias_relu_kernel(int rows, int cols, const float* x, const float* bias, float* y) {
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    int r = blockIdx.y * blockDim.y + threadIdx.y;
    if (c >= cols || r >= rows) return;
    float v = x[r * cols + c] + bias[c];
    y[r * cols + c] = v > 0.0f ? v : 0.1f * v;
}

void bias_relu(int rows, int cols, const float* x, const float* bias, float* y) {
    size_t bytes = rows * cols * sizeof(float);
    float *dx, *db, *dy;
    cudaMalloc(&dx, bytes); cudaMalloc(&db, cols * sizeof(float)); cudaMalloc(&dy, bytes);
    cudaMemcpy(dx, x, bytes, cudaMemcpyHostToDevice);
    cudaMemcpy(db, bias, cols * sizeof(float), cudaMemcpyHostToDevice);
    dim3 block(32, 8), grid((cols + 31) / 32, (rows + 7) / 8);
    bias_relu_kernel<<<grid, block>>>(rows, cols, dx, db, dy);
    cudaMemcpy(y, dy, bytes, cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(db); cudaFree(dy);
}
