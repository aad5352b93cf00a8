// Block-private histograms in shared memory, merged with global atomics.
// transverify: shape data=n, hist=nbins
#define MAX_BINS 256
__global__ void hist_kernel(int n, int nbins, const int* data, int* hist) {
    __shared__ int local[MAX_BINS];
    for (int b = threadIdx.x; b < nbins; b += blockDim.x) local[b] = 0;
    __syncthreads();
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x)
        atomicAdd(&local[data[i] % nbins], 1);
    __syncthreads();
    for (int b = threadIdx.x; b < nbins; b += blockDim.x) atomicAdd(&hist[b], local[b]);
}

void histogram(int n, int nbins, const int* data, int* hist) {
    int *ddata, *dhist;
    cudaMalloc(&ddata, n * sizeof(int));
    cudaMalloc(&dhist, nbins * sizeof(int));
    cudaMemcpy(ddata, data, n * sizeof(int), cudaMemcpyHostToDevice);
    cudaMemset(dhist, 0, nbins * sizeof(int));
    hist_kernel<<<4, 128>>>(n, nbins, ddata, dhist);
    cudaMemcpy(hist, dhist, nbins * sizeof(int), cudaMemcpyDeviceToHost);
    cudaFree(ddata); cudaFree(dhist);
}
