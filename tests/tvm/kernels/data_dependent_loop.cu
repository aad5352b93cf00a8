// transverify: shape len=n, x=n*8, y=n
__global__ void ragged_kernel(int n, const int* len, const float* x, float* y) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float s = 0.0f;
        for (int p = 0; p < len[i]; ++p) s += x[i * 8 + p];
        y[i] = s;
    }
}

void ragged(int n, const int* len, const float* x, float* y) {
    int* dl; float *dx, *dy;
    cudaMalloc(&dl, n * sizeof(int)); cudaMalloc(&dx, n * 8 * sizeof(float)); cudaMalloc(&dy, n * sizeof(float));
    cudaMemcpy(dl, len, n * sizeof(int), cudaMemcpyHostToDevice);
    cudaMemcpy(dx, x, n * 8 * sizeof(float), cudaMemcpyHostToDevice);
    ragged_kernel<<<(n + 255) / 256, 256>>>(n, dl, dx, dy);
    cudaMemcpy(y, dy, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dl); cudaFree(dx); cudaFree(dy);
}
