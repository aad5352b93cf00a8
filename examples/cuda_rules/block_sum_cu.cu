// Sum of doubles: shared-memory tree per block, per-block partials summed on the host.
#define THREADS 128
__global__ void partial_sums(int n, const double* x, double* partial) {
    __shared__ double cache[THREADS];
    double s = 0.0;
    for (int i = blockIdx.x * THREADS + threadIdx.x; i < n; i += THREADS * gridDim.x) s += x[i];
    cache[threadIdx.x] = s;
    __syncthreads();
    for (int stride = THREADS / 2; stride > 0; stride /= 2) {
        if (threadIdx.x < stride) cache[threadIdx.x] += cache[threadIdx.x + stride];
        __syncthreads();
    }
    if (threadIdx.x == 0) partial[blockIdx.x] = cache[0];
}

double block_sum(int n, const double* x) {
    const int blocks = 16;
    double *dx, *dp, partial[blocks];
    cudaMalloc(&dx, n * sizeof(double));
    cudaMalloc(&dp, blocks * sizeof(double));
    cudaMemcpy(dx, x, n * sizeof(double), cudaMemcpyHostToDevice);
    partial_sums<<<blocks, THREADS>>>(n, dx, dp);
    cudaMemcpy(partial, dp, blocks * sizeof(double), cudaMemcpyDeviceToHost);
    double total = 0.0;
    for (int b = 0; b < blocks; ++b) total += partial[b];
    cudaFree(dx); cudaFree(dp);
    return total;
}
