// Block reduction in dynamically sized shared memory (extern __shared__), per-block results reduced on the host.
__global__ void amax_kernel(int n, const float* x, float* partial) {
    extern __shared__ float cache[];
    float m = 0.0f;
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) m = fmaxf(m, x[i]);
    cache[threadIdx.x] = m;
    __syncthreads();
    for (int k = blockDim.x / 2; k > 0; k >>= 1) {
        if (threadIdx.x < k) cache[threadIdx.x] = fmaxf(cache[threadIdx.x], cache[threadIdx.x + k]);
        __syncthreads();
    }
    if (threadIdx.x == 0) partial[blockIdx.x] = cache[0];
}

float amax(int n, const float* x) {
    const int blocks = 4, threads = 64;
    float *dx, *dpartial, partial[blocks];
    cudaMalloc(&dx, n * sizeof(float));
    cudaMalloc(&dpartial, blocks * sizeof(float));
    cudaMemcpy(dx, x, n * sizeof(float), cudaMemcpyHostToDevice);
    amax_kernel<<<blocks, threads, threads * sizeof(float)>>>(n, dx, dpartial);
    cudaMemcpy(partial, dpartial, sizeof partial, cudaMemcpyDeviceToHost);
    float m = 0.0f;
    for (int b = 0; b < blocks; ++b) m = fmaxf(m, partial[b]);
    cudaFree(dx); cudaFree(dpartial);
    return m;
}
