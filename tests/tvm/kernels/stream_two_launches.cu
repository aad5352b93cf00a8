// Two elementwise launches in order: the first writes `scaled`, which the second reads to write `y`.
// With streaming stores, `y` (written once, read by no launch) may be streamed, `scaled` may not.
// transverify: shape x=n, scaled=n, y=n
__global__ void scale(int n, const float* x, float* scaled) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) scaled[i] = 2.0f * x[i];
}

__global__ void shift(int n, const float* scaled, float* y) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = scaled[i] + 1.0f;
}

void scale_shift(int n, const float* x, float* scaled, float* y) {
    float *dx, *ds, *dy;
    cudaMalloc(&dx, n * sizeof(float)); cudaMalloc(&ds, n * sizeof(float)); cudaMalloc(&dy, n * sizeof(float));
    cudaMemcpy(dx, x, n * sizeof(float), cudaMemcpyHostToDevice);
    scale<<<(n + 255) / 256, 256>>>(n, dx, ds);
    shift<<<(n + 255) / 256, 256>>>(n, ds, dy);
    cudaMemcpy(scaled, ds, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(y, dy, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(ds); cudaFree(dy);
}
