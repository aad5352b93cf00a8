// 1-D convolution with a halo: each block stages its segment and r neighbours on each side in
// dynamic shared memory, clamping reads to the array's ends; the mask and its radius are
// parameters.
// transverify: shape x=n, w=2*r+1, y=n
__global__ void conv1d_halo_kernel(const float* x, const float* w, float* y, int n, int r) {
    extern __shared__ float s[];
    int base = blockIdx.x * blockDim.x;
    for (int k = threadIdx.x; k < blockDim.x + 2 * r; k += blockDim.x) {
        int j = min(max(base + k - r, 0), n - 1);
        s[k] = x[j];
    }
    __syncthreads();
    int i = base + threadIdx.x;
    if (i < n) {
        float sum = 0.0f;
        for (int a = 0; a <= 2 * r; ++a) sum += s[threadIdx.x + a] * w[a];
        y[i] = sum;
    }
}

void conv1d_clamped(const float* x, const float* w, float* y, int n, int r) {
    float *dx, *dw, *dy;
    cudaMalloc(&dx, n * sizeof(float)); cudaMalloc(&dw, (2 * r + 1) * sizeof(float));
    cudaMalloc(&dy, n * sizeof(float));
    cudaMemcpy(dx, x, n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dw, w, (2 * r + 1) * sizeof(float), cudaMemcpyHostToDevice);
    conv1d_halo_kernel<<<(n + 63) / 64, 64, (64 + 2 * r) * sizeof(float)>>>(dx, dw, dy, n, r);
    cudaMemcpy(y, dy, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dw); cudaFree(dy);
}
