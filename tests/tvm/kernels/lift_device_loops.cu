// Helpers inside the kernel's loops: a max over a row pointer, a square summed in a reduction loop,
// a void helper that stores called in a loop (the loop stores, so it is an output axis), a helper
// with an early return for large inputs.
// transverify: shape x=n*m, y=n*m, s=n
__device__ float rowmax(const float* p, int m) {
    float best = -INFINITY;
    for (int j = 0; j < m; ++j) best = fmaxf(best, p[j]);
    return best;
}

__device__ float sq(float v) { return v * v; }

__device__ float softplus(float v) {
    if (v > 20.0f) return v;
    return log1pf(expf(v));
}

__device__ void put(float* p, int j, float v) { p[j] = v; }

__global__ void centre_rows(int n, int m, const float* x, float* y, float* s) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float mx = rowmax(x + i * m, m);
        float acc = 0.0f;
        for (int j = 0; j < m; ++j) acc += sq(x[i * m + j] - mx);
        s[i] = softplus(mx);
        for (int j = 0; j < m; ++j) put(y, i * m + j, (x[i * m + j] - mx) / sqrtf(acc + 1.0f));
    }
}

void centre(int n, int m, const float* x, float* y, float* s) {
    float *dx, *dy, *ds;
    cudaMalloc(&dx, n * m * sizeof(float)); cudaMalloc(&dy, n * m * sizeof(float));
    cudaMalloc(&ds, n * sizeof(float));
    cudaMemcpy(dx, x, n * m * sizeof(float), cudaMemcpyHostToDevice);
    centre_rows<<<(n + 127) / 128, 128>>>(n, m, dx, dy, ds);
    cudaMemcpy(y, dy, n * m * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(s, ds, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dy); cudaFree(ds);
}
