// Global atomics into a histogram the caller passes in (counts are added), values outside [0, nbins) skipped.
// transverify: shape data=n, hist=nbins
__global__ void hist_global(int n, int nbins, const int* data, int* hist) {
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) {
        int v = data[i];
        if (v >= 0 && v < nbins) atomicAdd(&hist[v], 1);
    }
}

void hist_add(int n, int nbins, const int* data, int* hist) {
    int *ddata, *dhist;
    cudaMalloc(&ddata, n * sizeof(int));
    cudaMalloc(&dhist, nbins * sizeof(int));
    cudaMemcpy(ddata, data, n * sizeof(int), cudaMemcpyHostToDevice);
    cudaMemcpy(dhist, hist, nbins * sizeof(int), cudaMemcpyHostToDevice);
    hist_global<<<2, 64>>>(n, nbins, ddata, dhist);
    cudaMemcpy(hist, dhist, nbins * sizeof(int), cudaMemcpyDeviceToHost);
    cudaFree(ddata); cudaFree(dhist);
}
