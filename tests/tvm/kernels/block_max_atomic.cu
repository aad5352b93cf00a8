// Integer maximum: a shared-memory tree per block, then atomicMax into the result.
// transverify: shape x=n, out=1
#define BLOCK 64
__global__ void max_kernel(const int* x, int* out, int n) {
    __shared__ int s[BLOCK];
    int t = threadIdx.x, i = blockIdx.x * BLOCK + t;
    s[t] = i < n ? x[i] : -2147483647 - 1;
    __syncthreads();
    for (int k = BLOCK / 2; k > 0; k >>= 1) {
        if (t < k) s[t] = max(s[t], s[t + k]);
        __syncthreads();
    }
    if (t == 0) atomicMax(out, s[0]);
}

void max_int(const int* x, int* out, int n) {
    int *dx, *dout;
    int lowest = -2147483647 - 1;
    cudaMalloc(&dx, n * sizeof(int)); cudaMalloc(&dout, sizeof(int));
    cudaMemcpy(dx, x, n * sizeof(int), cudaMemcpyHostToDevice);
    cudaMemcpy(dout, &lowest, sizeof(int), cudaMemcpyHostToDevice);
    max_kernel<<<(n + BLOCK - 1) / BLOCK, BLOCK>>>(dx, dout, n);
    cudaMemcpy(out, dout, sizeof(int), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dout);
}
