// Per-thread partial products, grid-stride, combined with double atomicAdd.
__global__ void dot_kernel(int n, const double* x, const double* y, double* out) {
    double acc = 0.0;
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) acc += x[i] * y[i];
    atomicAdd(out, acc);
}

double dot(int n, const double* x, const double* y) {
    double *dx, *dy, *dout, zero = 0.0, result;
    cudaMalloc(&dx, n * sizeof(double));
    cudaMalloc(&dy, n * sizeof(double));
    cudaMalloc(&dout, sizeof(double));
    cudaMemcpy(dx, x, n * sizeof(double), cudaMemcpyHostToDevice);
    cudaMemcpy(dy, y, n * sizeof(double), cudaMemcpyHostToDevice);
    cudaMemcpy(dout, &zero, sizeof(double), cudaMemcpyHostToDevice);
    dot_kernel<<<16, 128>>>(n, dx, dy, dout);
    cudaMemcpy(&result, dout, sizeof(double), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dy); cudaFree(dout);
    return result;
}
