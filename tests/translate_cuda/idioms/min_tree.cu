// Smallest element: grid-stride minima, a shared-memory tree per block, per-block results
// combined on the host.
#define THREADS 64
__global__ void block_min(int n, const float* x, float* partial) {
    __shared__ float cache[THREADS];
    float m = 2.0f;
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) m = fminf(m, x[i]);
    cache[threadIdx.x] = m;
    __syncthreads();
    for (int k = THREADS / 2; k > 0; k >>= 1) {
        if (threadIdx.x < k) cache[threadIdx.x] = fminf(cache[threadIdx.x], cache[threadIdx.x + k]);
        __syncthreads();
    }
    if (threadIdx.x == 0) partial[blockIdx.x] = cache[0];
}

float smallest(int n, const float* x) {
    const int blocks = 5;
    float *dx, *dp, partial[blocks];
    cudaMalloc(&dx, n * sizeof(float));
    cudaMalloc(&dp, blocks * sizeof(float));
    cudaMemcpy(dx, x, n * sizeof(float), cudaMemcpyHostToDevice);
    block_min<<<blocks, THREADS>>>(n, dx, dp);
    cudaMemcpy(partial, dp, blocks * sizeof(float), cudaMemcpyDeviceToHost);
    float m = partial[0];
    for (int b = 1; b < blocks; ++b) m = fminf(m, partial[b]);
    cudaFree(dx); cudaFree(dp);
    return m;
}
