// 1-D convolution with a 5-tap filter in __constant__ memory (declared with its values), read at the
// tap index of a reduction loop; taps past either end are skipped.
// transverify: shape x=n, y=n
__constant__ float taps[5] = {0.0625f, 0.25f, 0.375f, 0.25f, 0.0625f};

__global__ void conv1d_kernel(int n, const float* x, float* y) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float acc = 0.0f;
        for (int k = 0; k < 5; ++k) {
            int j = i + k - 2;
            if (j >= 0 && j < n) acc += taps[k] * x[j];
        }
        y[i] = acc;
    }
}

void conv1d_const(int n, const float* x, float* y) {
    float *dx, *dy;
    cudaMalloc(&dx, n * sizeof(float)); cudaMalloc(&dy, n * sizeof(float));
    cudaMemcpy(dx, x, n * sizeof(float), cudaMemcpyHostToDevice);
    conv1d_kernel<<<(n + 127) / 128, 128>>>(n, dx, dy);
    cudaMemcpy(y, dy, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dy);
}
