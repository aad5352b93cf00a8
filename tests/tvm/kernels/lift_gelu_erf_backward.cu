// Math functions beyond exp/tanh: the exact GELU (erff) and the tanh GELU's derivative (coshf),
// with log1pf, exp2f and floorf in a third output.
// transverify: shape x=n, y=n, dy=n, z=n
__global__ void activations_kernel(int n, const float* x, float* y, float* dy, float* z) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    float v = x[i];
    y[i] = 0.5f * v * (1.0f + erff(v * 0.70710678f));
    float u = 0.7978845608f * (v + 0.044715f * v * v * v);
    float c = coshf(u);
    dy[i] = 0.5f * (1.0f + tanhf(u)) + v * 0.5f * (1.0f / (c * c)) * 0.7978845608f * (1.0f + 0.134145f * v * v);
    z[i] = log1pf(v * v) + exp2f(floorf(v));
}

void activations(int n, const float* x, float* y, float* dy, float* z) {
    float *dx, *d_y, *d_dy, *dz;
    cudaMalloc(&dx, n * sizeof(float)); cudaMalloc(&d_y, n * sizeof(float));
    cudaMalloc(&d_dy, n * sizeof(float)); cudaMalloc(&dz, n * sizeof(float));
    cudaMemcpy(dx, x, n * sizeof(float), cudaMemcpyHostToDevice);
    activations_kernel<<<(n + 127) / 128, 128>>>(n, dx, d_y, d_dy, dz);
    cudaMemcpy(y, d_y, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(dy, d_dy, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(z, dz, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(d_y); cudaFree(d_dy); cudaFree(dz);
}
