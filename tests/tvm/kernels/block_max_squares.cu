// A max reduction's signature, shared tree and atomicMax, but of squares: max_reduction must not be kept.
// transverify: shape x=n, out=1
#define BLOCK 64
__global__ void max_sq_kernel(const int* x, int* out, int n) {
    __shared__ int s[BLOCK];
    int t = threadIdx.x, i = blockIdx.x * BLOCK + t;
    s[t] = i < n ? x[i] * x[i] : 0;
    __syncthreads();
    for (int k = BLOCK / 2; k > 0; k >>= 1) {
        if (t < k) s[t] = max(s[t], s[t + k]);
        __syncthreads();
    }
    if (t == 0) atomicMax(out, s[0]);
}

void max_square(const int* x, int* out, int n) {
    int *dx, *dout;
    cudaMalloc(&dx, n * sizeof(int)); cudaMalloc(&dout, sizeof(int));
    cudaMemcpy(dx, x, n * sizeof(int), cudaMemcpyHostToDevice);
    cudaMemset(dout, 0, sizeof(int));
    max_sq_kernel<<<(n + BLOCK - 1) / BLOCK, BLOCK>>>(dx, dout, n);
    cudaMemcpy(out, dout, sizeof(int), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dout);
}
