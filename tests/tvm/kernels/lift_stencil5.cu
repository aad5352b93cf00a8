// 1-D 5-point stencil with weights; cells within 2 of an edge are copied.
// transverify: shape x=n, y=n
__global__ void stencil5_kernel(int n, const double* x, double* y) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    if (i < 2 || i >= n - 2) {
        y[i] = x[i];
    } else {
        y[i] = -0.125 * (x[i - 2] + x[i + 2]) + 0.5 * (x[i - 1] + x[i + 1]) + 0.25 * x[i];
    }
}

void stencil5(int n, const double* x, double* y) {
    double *dx, *dy;
    cudaMalloc(&dx, n * sizeof(double)); cudaMalloc(&dy, n * sizeof(double));
    cudaMemcpy(dx, x, n * sizeof(double), cudaMemcpyHostToDevice);
    stencil5_kernel<<<(n + 127) / 128, 128>>>(n, dx, dy);
    cudaMemcpy(y, dy, n * sizeof(double), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dy);
}
