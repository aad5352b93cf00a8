// 16-bin histogram: per-block bins in shared memory, then merged with global atomics.
// transverify: shape data=n, hist=16
__global__ void hist16(int n, const int* data, unsigned* hist) {
    __shared__ unsigned bins[16];
    if (threadIdx.x < 16) bins[threadIdx.x] = 0;
    __syncthreads();
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x)
        atomicAdd(&bins[data[i] % 16], 1u);
    __syncthreads();
    if (threadIdx.x < 16) atomicAdd(&hist[threadIdx.x], bins[threadIdx.x]);
}

void histogram16(int n, const int* data, unsigned* hist) {
    int* dd;
    unsigned* dh;
    cudaMalloc(&dd, n * sizeof(int));
    cudaMalloc(&dh, 16 * sizeof(unsigned));
    cudaMemcpy(dd, data, n * sizeof(int), cudaMemcpyHostToDevice);
    cudaMemset(dh, 0, 16 * sizeof(unsigned));
    hist16<<<6, 64>>>(n, dd, dh);
    cudaMemcpy(hist, dh, 16 * sizeof(unsigned), cudaMemcpyDeviceToHost);
    cudaFree(dd); cudaFree(dh);
}
