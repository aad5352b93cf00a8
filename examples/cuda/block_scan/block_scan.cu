// Hillis-Steele inclusive scan of each 256-element segment, double-buffered in shared memory.
// transverify: shape x=n, y=n
#define B 256
__global__ void scan_kernel(int n, const int* x, int* y) {
    __shared__ int buf[2][B];
    int t = threadIdx.x, i = blockIdx.x * B + t;
    int in = 0;
    buf[0][t] = i < n ? x[i] : 0;
    __syncthreads();
    for (int offset = 1; offset < B; offset <<= 1) {
        int out = 1 - in;
        buf[out][t] = buf[in][t] + (t >= offset ? buf[in][t - offset] : 0);
        __syncthreads();
        in = out;
    }
    if (i < n) y[i] = buf[in][t];
}

void block_scan(int n, const int* x, int* y) {
    int *dx, *dy;
    cudaMalloc(&dx, n * sizeof(int));
    cudaMalloc(&dy, n * sizeof(int));
    cudaMemcpy(dx, x, n * sizeof(int), cudaMemcpyHostToDevice);
    scan_kernel<<<(n + B - 1) / B, B>>>(n, dx, dy);
    cudaMemcpy(y, dy, n * sizeof(int), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dy);
}
