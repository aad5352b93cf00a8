// Exclusive scan of each 64-element segment (Hillis-Steele in shared memory, then shift).
// transverify: shape x=n, y=n
#define SEG 64
__global__ void seg_scan(int n, const int* x, int* y) {
    __shared__ int buf[SEG];
    int t = threadIdx.x, i = blockIdx.x * SEG + t;
    buf[t] = i < n ? x[i] : 0;
    __syncthreads();
    for (int offset = 1; offset < SEG; offset *= 2) {
        int add = t >= offset ? buf[t - offset] : 0;
        __syncthreads();
        buf[t] += add;
        __syncthreads();
    }
    if (i < n) y[i] = t == 0 ? 0 : buf[t - 1];
}

void exclusive_scan(int n, const int* x, int* y) {
    int *dx, *dy;
    cudaMalloc(&dx, n * sizeof(int));
    cudaMalloc(&dy, n * sizeof(int));
    cudaMemcpy(dx, x, n * sizeof(int), cudaMemcpyHostToDevice);
    seg_scan<<<(n + SEG - 1) / SEG, SEG>>>(n, dx, dy);
    cudaMemcpy(y, dy, n * sizeof(int), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dy);
}
