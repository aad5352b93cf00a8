// RMS norm's signature and warp butterflies, but an L2 row normalisation (the sum of squares is
// not divided by cols): neither layer_norm nor rms_norm may be kept.
// transverify: shape x=rows*cols, y=rows*cols
// transverify: range eps=1e-6:1e-3
__global__ void l2_kernel(const float* x, float* y, int rows, int cols, float eps) {
    int row = blockIdx.x, lane = threadIdx.x;
    if (row >= rows) return;
    float q = 0.0f;
    for (int c = lane; c < cols; c += 32) q += x[row * cols + c] * x[row * cols + c];
    for (int m = 16; m > 0; m >>= 1) q += __shfl_xor_sync(0xffffffffu, q, m);
    float inv = rsqrtf(q + eps);
    for (int c = lane; c < cols; c += 32) y[row * cols + c] = x[row * cols + c] * inv;
}

void l2_normalize(const float* x, float* y, int rows, int cols, float eps) {
    float *dx, *dy;
    cudaMalloc(&dx, rows * cols * sizeof(float)); cudaMalloc(&dy, rows * cols * sizeof(float));
    cudaMemcpy(dx, x, rows * cols * sizeof(float), cudaMemcpyHostToDevice);
    l2_kernel<<<rows, 32>>>(dx, dy, rows, cols, eps);
    cudaMemcpy(y, dy, rows * cols * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dy);
}
