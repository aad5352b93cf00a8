// A scan's signature and shared-memory tree, but a suffix sum (from the end): scan must not be kept.
// transverify: shape x=n, y=n
// transverify: value n=200
#define MAXN 1024
__global__ void suffix_kernel(const int* x, int* y, int n) {
    __shared__ int buf[2][MAXN];
    int t = threadIdx.x, in = 0;
    buf[0][t] = t < n ? x[n - 1 - t] : 0;
    __syncthreads();
    for (int offset = 1; offset < blockDim.x; offset <<= 1) {
        buf[1 - in][t] = buf[in][t] + (t >= offset ? buf[in][t - offset] : 0);
        __syncthreads();
        in = 1 - in;
    }
    if (t < n) y[n - 1 - t] = buf[in][t];
}

void suffix_sum(const int* x, int* y, int n) {
    int *dx, *dy;
    cudaMalloc(&dx, n * sizeof(int)); cudaMalloc(&dy, n * sizeof(int));
    cudaMemcpy(dx, x, n * sizeof(int), cudaMemcpyHostToDevice);
    suffix_kernel<<<1, n>>>(dx, dy, n);
    cudaMemcpy(y, dy, n * sizeof(int), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dy);
}
