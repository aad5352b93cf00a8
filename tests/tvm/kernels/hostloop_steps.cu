// Time steps in a host loop whose trip count is a parameter: each step relaxes u into v, then
// writes v back into u with the step's source term src[t] (the step number is a kernel argument)
// added at cell 0. A launch before the loop scales u once, a launch after it takes the residual.
// transverify: shape u=n, v=n, w=n, src=steps, r=n
#define CHECK(call) (call)

__global__ void scale(int n, float* u) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) u[i] = 0.5f * u[i];
}

__global__ void relax(int n, const float* u, const float* w, float* v) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) v[i] = 0.75f * u[i] + 0.25f * w[i];
}

__global__ void inject(int n, const float* v, const float* src, float* u, int t) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) u[i] = i == 0 ? v[i] + src[t] : v[i];
}

__global__ void residual(int n, const float* u, const float* v, float* r) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) r[i] = u[i] - v[i];
}

void run_steps(int n, int steps, float* u, float* v, const float* w, const float* src, float* r) {
    float *du, *dv, *dw, *dsrc, *dr;
    cudaMalloc(&du, n * sizeof(float)); cudaMalloc(&dv, n * sizeof(float)); cudaMalloc(&dw, n * sizeof(float));
    cudaMalloc(&dsrc, steps * sizeof(float)); cudaMalloc(&dr, n * sizeof(float));
    cudaMemcpy(du, u, n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dv, v, n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dw, w, n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dsrc, src, steps * sizeof(float), cudaMemcpyHostToDevice);
    int blocks = (n + 63) / 64;
    scale<<<blocks, 64>>>(n, du);
    for (int t = 0; t < steps; t++) {
        relax<<<blocks, 64>>>(n, du, dw, dv);
        cudaDeviceSynchronize();
        inject<<<blocks, 64>>>(n, dv, dsrc, du, t);
        CHECK(cudaGetLastError());
    }
    residual<<<blocks, 64>>>(n, du, dv, dr);
    cudaMemcpy(u, du, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(v, dv, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(r, dr, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(du); cudaFree(dv); cudaFree(dw); cudaFree(dsrc); cudaFree(dr);
}
