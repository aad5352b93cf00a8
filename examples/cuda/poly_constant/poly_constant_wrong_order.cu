// Coefficients in __constant__ memory, set with cudaMemcpyToSymbol.
__constant__ float coeff[4];

__global__ void poly_kernel(int n, const float* x, float* y) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float v = x[i];
        y[i] = ((coeff[0] * v + coeff[1]) * v + coeff[2]) * v + coeff[3];
    }
}

void poly(int n, const float* x, float* y) {
    const float c[4] = {1.0f, 0.5f, -0.25f, 0.125f};
    cudaMemcpyToSymbol(coeff, c, sizeof c);
    float *dx, *dy;
    cudaMalloc(&dx, n * sizeof(float));
    cudaMalloc(&dy, n * sizeof(float));
    cudaMemcpy(dx, x, n * sizeof(float), cudaMemcpyHostToDevice);
    poly_kernel<<<(n + 63) / 64, 64>>>(n, dx, dy);
    cudaMemcpy(y, dy, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dy);
}
