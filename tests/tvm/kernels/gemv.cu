// y = alpha * A x + beta * y, one thread per row (y is read and written at the same cell).
// transverify: shape A=m*n, x=n, y=m
__global__ void gemv_kernel(int m, int n, double alpha, double beta, const double* A, const double* x, double* y) {
    int i = threadIdx.x + blockIdx.x * blockDim.x;
    if (i < m) {
        double acc = 0.0;
        for (int j = 0; j < n; j++) acc += A[i * n + j] * x[j];
        y[i] = alpha * acc + beta * y[i];
    }
}

void gemv(int m, int n, double alpha, double beta, const double* A, const double* x, double* y) {
    double *dA, *dx, *dy;
    cudaMalloc(&dA, m * n * sizeof(double)); cudaMalloc(&dx, n * sizeof(double)); cudaMalloc(&dy, m * sizeof(double));
    cudaMemcpy(dA, A, m * n * sizeof(double), cudaMemcpyHostToDevice);
    cudaMemcpy(dx, x, n * sizeof(double), cudaMemcpyHostToDevice);
    cudaMemcpy(dy, y, m * sizeof(double), cudaMemcpyHostToDevice);
    gemv_kernel<<<(m + 127) / 128, 128>>>(m, n, alpha, beta, dA, dx, dy);
    cudaMemcpy(y, dy, m * sizeof(double), cudaMemcpyDeviceToHost);
    cudaFree(dA); cudaFree(dx); cudaFree(dy);
}
