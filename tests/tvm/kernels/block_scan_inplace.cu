// Exclusive scan in place by one block: Hillis-Steele double-buffered in shared memory, each
// thread then keeps its left neighbour's inclusive sum.
// transverify: shape data=n
// transverify: value n=200
#define MAXN 1024
__global__ void scan_in_place(int* data, int n) {
    __shared__ int buf[2][MAXN];
    int t = threadIdx.x, in = 0;
    buf[0][t] = t < n ? data[t] : 0;
    __syncthreads();
    for (int offset = 1; offset < blockDim.x; offset <<= 1) {
        buf[1 - in][t] = buf[in][t] + (t >= offset ? buf[in][t - offset] : 0);
        __syncthreads();
        in = 1 - in;
    }
    if (t < n) data[t] = t > 0 ? buf[in][t - 1] : 0;
}

void exclusive_scan_in_place(int* data, int n) {
    int* d;
    cudaMalloc(&d, n * sizeof(int));
    cudaMemcpy(d, data, n * sizeof(int), cudaMemcpyHostToDevice);
    scan_in_place<<<1, n>>>(d, n);
    cudaMemcpy(data, d, n * sizeof(int), cudaMemcpyDeviceToHost);
    cudaFree(d);
}
