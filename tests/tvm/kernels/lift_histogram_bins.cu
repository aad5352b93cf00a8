// A histogram with one thread per bin: each thread counts the values equal to its bin (no atomics).
// transverify: shape data=n, hist=nbins
__global__ void bin_count_kernel(int n, int nbins, const int* data, int* hist) {
    int b = blockIdx.x * blockDim.x + threadIdx.x;
    if (b < nbins) {
        int count = 0;
        for (int i = 0; i < n; ++i) {
            if (data[i] == b) count++;
        }
        hist[b] = count;
    }
}

void histogram_bins(int n, int nbins, const int* data, int* hist) {
    int *dd, *dh;
    cudaMalloc(&dd, n * sizeof(int)); cudaMalloc(&dh, nbins * sizeof(int));
    cudaMemcpy(dd, data, n * sizeof(int), cudaMemcpyHostToDevice);
    bin_count_kernel<<<(nbins + 63) / 64, 64>>>(n, nbins, dd, dh);
    cudaMemcpy(hist, dh, nbins * sizeof(int), cudaMemcpyDeviceToHost);
    cudaFree(dd); cudaFree(dh);
}
