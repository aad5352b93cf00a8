// Looks like a block sum, but the tree starts at a quarter of the block: each block adds up only
// its first half of the elements.  The whole-grid reduction would differ; the literal
// translation is what verifies.
#define BLOCK 128
__global__ void half_sum_kernel(int n, const float* x, float* out) {
    __shared__ float s[BLOCK];
    int t = threadIdx.x;
    int i = blockIdx.x * BLOCK + t;
    s[t] = i < n ? x[i] : 0.0f;
    __syncthreads();
    for (int k = BLOCK / 4; k > 0; k >>= 1) {
        if (t < k) s[t] += s[t + k];
        __syncthreads();
    }
    if (t == 0) atomicAdd(out, s[0]);
}

float half_sum(int n, const float* x) {
    float *dx, *dout, result = 0.0f;
    cudaMalloc(&dx, n * sizeof(float));
    cudaMalloc(&dout, sizeof(float));
    cudaMemcpy(dx, x, n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemset(dout, 0, sizeof(float));
    half_sum_kernel<<<(n + BLOCK - 1) / BLOCK, BLOCK>>>(n, dx, dout);
    cudaMemcpy(&result, dout, sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dout);
    return result;
}
