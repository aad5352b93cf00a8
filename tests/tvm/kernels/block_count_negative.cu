// Count of negative elements: a per-thread flag, a shared-memory tree per block, one atomicAdd
// per block into the count.
// transverify: shape x=n, count=1
#define BLOCK 64
__global__ void count_kernel(const int* x, int* count, int n) {
    __shared__ int s[BLOCK];
    int t = threadIdx.x, i = blockIdx.x * BLOCK + t;
    s[t] = (i < n && x[i] < 0) ? 1 : 0;
    __syncthreads();
    for (int k = BLOCK / 2; k > 0; k >>= 1) {
        if (t < k) s[t] += s[t + k];
        __syncthreads();
    }
    if (t == 0) atomicAdd(count, s[0]);
}

void count_negative(const int* x, int* count, int n) {
    int *dx, *dcount;
    cudaMalloc(&dx, n * sizeof(int)); cudaMalloc(&dcount, sizeof(int));
    cudaMemcpy(dx, x, n * sizeof(int), cudaMemcpyHostToDevice);
    cudaMemset(dcount, 0, sizeof(int));
    count_kernel<<<(n + BLOCK - 1) / BLOCK, BLOCK>>>(dx, dcount, n);
    cudaMemcpy(count, dcount, sizeof(int), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dcount);
}
