// y = A^T x, one thread per column of A (a reduction down the column, stride n).
// transverify: shape A=m*n, x=m, y=n
__global__ void gemv_t_kernel(int m, int n, const float* A, const float* x, float* y) {
    int j = blockIdx.x * blockDim.x + threadIdx.x;
    if (j < n) {
        float s = 0.0f;
        for (int i = 0; i < m; ++i) s += A[i * n + j] * x[i];
        y[j] = s;
    }
}

void gemv_t(int m, int n, const float* A, const float* x, float* y) {
    float *dA, *dx, *dy;
    cudaMalloc(&dA, m * n * sizeof(float)); cudaMalloc(&dx, m * sizeof(float)); cudaMalloc(&dy, n * sizeof(float));
    cudaMemcpy(dA, A, m * n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dx, x, m * sizeof(float), cudaMemcpyHostToDevice);
    gemv_t_kernel<<<(n + 127) / 128, 128>>>(m, n, dA, dx, dy);
    cudaMemcpy(y, dy, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dA); cudaFree(dx); cudaFree(dy);
}
