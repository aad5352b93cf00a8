// An if without else: cells outside the band keep their value (y is in/out).
// transverify: shape x=n, y=n
__global__ void clamp_kernel(int n, float lo, const float* x, float* y) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n && x[i] > lo) {
        y[i] = x[i] * 2.0f;
    }
}

void clamp_partial(int n, float lo, const float* x, float* y) {
    float *dx, *dy;
    cudaMalloc(&dx, n * sizeof(float)); cudaMalloc(&dy, n * sizeof(float));
    cudaMemcpy(dx, x, n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dy, y, n * sizeof(float), cudaMemcpyHostToDevice);
    clamp_kernel<<<(n + 255) / 256, 256>>>(n, lo, dx, dy);
    cudaMemcpy(y, dy, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dy);
}
