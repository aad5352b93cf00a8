// GELU, tanh approximation, one thread per element: the printer's tv_tanhf (and tv_expf)
// keep its loop vectorised without -ffast-math.
__global__ void gelu_kernel(int n, const float* x, float* y) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        const float scale = 0.7978845608f;  // sqrt(2 / pi)
        float v = x[i];
        float cube = 0.044715f * v * v * v;
        y[i] = 0.5f * v * (1.0f + tanhf(scale * (v + cube)));
    }
}

void gelu(int n, const float* x, float* y) {
    float *dx, *dy;
    cudaMalloc(&dx, n * sizeof(float));
    cudaMalloc(&dy, n * sizeof(float));
    cudaMemcpy(dx, x, n * sizeof(float), cudaMemcpyHostToDevice);
    gelu_kernel<<<(n + 127) / 128, 128>>>(n, dx, dy);
    cudaMemcpy(y, dy, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dx);
    cudaFree(dy);
}
