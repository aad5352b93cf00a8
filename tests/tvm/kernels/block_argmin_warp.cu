// The index of the smallest element, one block of 256 threads: a strided pass, then warp
// shuffles of (value, index) pairs and a shared array across the warps. Returned.
#define THREADS 256
__global__ void argmin_kernel(const float* x, int n, int* result) {
    __shared__ float wv[THREADS / 32];
    __shared__ int wi[THREADS / 32];
    float v = INFINITY; int bi = n;
    for (int i = threadIdx.x; i < n; i += THREADS)
        if (x[i] < v) { v = x[i]; bi = i; }
    for (int off = 16; off > 0; off >>= 1) {
        float ov = __shfl_down_sync(0xffffffff, v, off);
        int oi = __shfl_down_sync(0xffffffff, bi, off);
        if (ov < v || (ov == v && oi < bi)) { v = ov; bi = oi; }
    }
    if (threadIdx.x % 32 == 0) { wv[threadIdx.x / 32] = v; wi[threadIdx.x / 32] = bi; }
    __syncthreads();
    if (threadIdx.x == 0) {
        for (int w = 1; w < THREADS / 32; ++w)
            if (wv[w] < v || (wv[w] == v && wi[w] < bi)) { v = wv[w]; bi = wi[w]; }
        *result = bi;
    }
}

int argmin(const float* x, int n) {
    float* d_x; int* d_result; int result = -1;
    cudaMalloc(&d_x, n * sizeof(float));
    cudaMalloc(&d_result, sizeof(int));
    cudaMemcpy(d_x, x, n * sizeof(float), cudaMemcpyHostToDevice);
    argmin_kernel<<<1, THREADS>>>(d_x, n, d_result);
    cudaMemcpy(&result, d_result, sizeof(int), cudaMemcpyDeviceToHost);
    cudaFree(d_x); cudaFree(d_result);
    return result;
}
