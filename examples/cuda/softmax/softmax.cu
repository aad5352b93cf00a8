// One block per row: shared-memory max and sum reductions.
#define NT 128
__global__ void softmax_kernel(int cols, const float* x, float* y) {
    __shared__ float red[NT];
    const float* row = x + (size_t)blockIdx.x * cols;
    float m = -INFINITY;
    for (int c = threadIdx.x; c < cols; c += NT) m = fmaxf(m, row[c]);
    red[threadIdx.x] = m;
    __syncthreads();
    for (int k = NT / 2; k > 0; k >>= 1) {
        if (threadIdx.x < k) red[threadIdx.x] = fmaxf(red[threadIdx.x], red[threadIdx.x + k]);
        __syncthreads();
    }
    m = red[0];
    __syncthreads();
    float s = 0.0f;
    for (int c = threadIdx.x; c < cols; c += NT) s += expf(row[c] - m);
    red[threadIdx.x] = s;
    __syncthreads();
    for (int k = NT / 2; k > 0; k >>= 1) {
        if (threadIdx.x < k) red[threadIdx.x] += red[threadIdx.x + k];
        __syncthreads();
    }
    s = red[0];
    for (int c = threadIdx.x; c < cols; c += NT) y[(size_t)blockIdx.x * cols + c] = expf(row[c] - m) / s;
}

void softmax(int rows, int cols, const float* x, float* y) {
    size_t bytes = (size_t)rows * cols * sizeof(float);
    float *dx, *dy;
    cudaMalloc(&dx, bytes); cudaMalloc(&dy, bytes);
    cudaMemcpy(dx, x, bytes, cudaMemcpyHostToDevice);
    softmax_kernel<<<rows, NT>>>(cols, dx, dy);
    cudaMemcpy(y, dy, bytes, cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dy);
}
