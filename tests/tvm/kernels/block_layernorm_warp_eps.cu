// Layer norm without gamma/beta, one warp per row: __shfl_xor_sync butterflies for the mean and
// the variance, eps a parameter.
// transverify: shape x=rows*cols, y=rows*cols
// transverify: range eps=1e-6:1e-3
__device__ float warp_sum(float v) {
    for (int m = 16; m > 0; m >>= 1) v += __shfl_xor_sync(0xffffffffu, v, m);
    return v;
}

__global__ void ln_kernel(const float* x, float* y, int rows, int cols, float eps) {
    int row = blockIdx.x, lane = threadIdx.x;
    if (row >= rows) return;
    float s = 0.0f;
    for (int c = lane; c < cols; c += 32) s += x[row * cols + c];
    float mean = warp_sum(s) / cols;
    float q = 0.0f;
    for (int c = lane; c < cols; c += 32) { float d = x[row * cols + c] - mean; q += d * d; }
    float inv = 1.0f / sqrtf(warp_sum(q) / cols + eps);
    for (int c = lane; c < cols; c += 32) y[row * cols + c] = (x[row * cols + c] - mean) * inv;
}

void layer_norm(const float* x, float* y, int rows, int cols, float eps) {
    float *dx, *dy;
    cudaMalloc(&dx, rows * cols * sizeof(float)); cudaMalloc(&dy, rows * cols * sizeof(float));
    cudaMemcpy(dx, x, rows * cols * sizeof(float), cudaMemcpyHostToDevice);
    ln_kernel<<<rows, 32>>>(dx, dy, rows, cols, eps);
    cudaMemcpy(y, dy, rows * cols * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dy);
}
