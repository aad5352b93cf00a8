// Inclusive scan of an int array by one block: Hillis-Steele in shared memory, double-buffered.
// transverify: shape x=n, y=n
// transverify: value n=200
#define MAXN 1024
__global__ void hs_scan(const int* x, int* y, int n) {
    __shared__ int buf[2][MAXN];
    int t = threadIdx.x, in = 0;
    buf[0][t] = t < n ? x[t] : 0;
    __syncthreads();
    for (int offset = 1; offset < blockDim.x; offset <<= 1) {
        buf[1 - in][t] = buf[in][t] + (t >= offset ? buf[in][t - offset] : 0);
        __syncthreads();
        in = 1 - in;
    }
    if (t < n) y[t] = buf[in][t];
}

void inclusive_scan(const int* x, int* y, int n) {
    int *dx, *dy;
    cudaMalloc(&dx, n * sizeof(int)); cudaMalloc(&dy, n * sizeof(int));
    cudaMemcpy(dx, x, n * sizeof(int), cudaMemcpyHostToDevice);
    hs_scan<<<1, n>>>(dx, dy, n);
    cudaMemcpy(y, dy, n * sizeof(int), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dy);
}
