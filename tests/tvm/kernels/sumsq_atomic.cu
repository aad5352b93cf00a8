// A sum reduction's signature, shared-memory tree and atomicAdd, but of squares: sum_reduction must not be kept.
// transverify: shape x=n, out=1
#define BLOCK 128
__global__ void sumsq_kernel(int n, const float* x, float* out) {
    __shared__ float s[BLOCK];
    int t = threadIdx.x;
    int i = blockIdx.x * BLOCK + t;
    s[t] = i < n ? x[i] * x[i] : 0.0f;
    __syncthreads();
    for (int k = BLOCK / 2; k > 0; k >>= 1) {
        if (t < k) s[t] += s[t + k];
        __syncthreads();
    }
    if (t == 0) atomicAdd(out, s[0]);
}

void sumsq(int n, const float* x, float* out) {
    float *dx, *dout;
    cudaMalloc(&dx, n * sizeof(float));
    cudaMalloc(&dout, sizeof(float));
    cudaMemcpy(dx, x, n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemset(dout, 0, sizeof(float));
    sumsq_kernel<<<(n + BLOCK - 1) / BLOCK, BLOCK>>>(n, dx, dout);
    cudaMemcpy(out, dout, sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dout);
}
