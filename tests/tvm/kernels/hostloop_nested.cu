// Sweeps nested in iterations: the inner loop's bound reads the outer variable, its launch swaps a
// ping-pong pair, and a launch after it takes the outer variable and a literal.
__global__ void relax(int n, const float* u, float* v, const float* f, int sweep) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i > 0 && i < n - 1) v[i] = 0.5f * (u[i - 1] + u[i + 1]) + (sweep + 1) * f[i];
}
__global__ void scale(int n, float* u, float s, int it) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) u[i] = s * u[i] + it;
}
void smooth(int n, int iters, int sweeps, float* u, float* v, const float* f) {
    float *d_u, *d_v, *d_f;
    cudaMalloc(&d_u, n * sizeof(float));
    cudaMalloc(&d_v, n * sizeof(float));
    cudaMalloc(&d_f, n * sizeof(float));
    cudaMemcpy(d_u, u, n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(d_v, v, n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(d_f, f, n * sizeof(float), cudaMemcpyHostToDevice);
    for (int it = 0; it < iters; ++it) {
        for (int s = 0; s < sweeps + it; ++s) {
            relax<<<(n + 63) / 64, 64>>>(n, d_u, d_v, d_f, s);
            std::swap(d_u, d_v);
        }
        scale<<<(n + 63) / 64, 64>>>(n, d_u, 0.5f, it);
    }
    cudaMemcpy(u, d_u, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(v, d_v, n * sizeof(float), cudaMemcpyDeviceToHost);
}
