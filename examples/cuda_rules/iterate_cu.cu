// iters Jacobi sweeps, two kernels per sweep, launched from a host loop.
// transverify: shape u=n, tmp=n
// transverify: value iters=4
__global__ void smooth(int n, const float* u, float* tmp) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i > 0 && i < n - 1) tmp[i] = 0.5f * (u[i - 1] + u[i + 1]);
}

__global__ void copy_back(int n, const float* tmp, float* u) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i > 0 && i < n - 1) u[i] = tmp[i];
}

void jacobi_iter(int n, int iters, float* u, float* tmp) {
    float *du, *dt;
    cudaMalloc(&du, n * sizeof(float));
    cudaMalloc(&dt, n * sizeof(float));
    cudaMemcpy(du, u, n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dt, tmp, n * sizeof(float), cudaMemcpyHostToDevice);
    for (int it = 0; it < iters; ++it) {
        smooth<<<(n + 127) / 128, 128>>>(n, du, dt);
        copy_back<<<(n + 127) / 128, 128>>>(n, dt, du);
    }
    cudaMemcpy(u, du, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(tmp, dt, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(du); cudaFree(dt);
}
