// One block per row: (value, index) pairs reduced in shared memory, the first index on ties.
#define THREADS 128
// transverify: shape logits=rows*cols, best=rows
__global__ void row_argmax_kernel(const float* logits, int* best, int rows, int cols) {
    __shared__ float vals[THREADS];
    __shared__ int idxs[THREADS];
    int r = blockIdx.x;
    const float* row = logits + (size_t)r * cols;
    float v = -INFINITY; int bi = -1;
    for (int c = threadIdx.x; c < cols; c += THREADS)
        if (row[c] > v) { v = row[c]; bi = c; }
    vals[threadIdx.x] = v; idxs[threadIdx.x] = bi;
    __syncthreads();
    for (int s = THREADS / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) {
            float ov = vals[threadIdx.x + s]; int oi = idxs[threadIdx.x + s];
            if (ov > vals[threadIdx.x] || (ov == vals[threadIdx.x] && oi >= 0 && (idxs[threadIdx.x] < 0 || oi < idxs[threadIdx.x]))) {
                vals[threadIdx.x] = ov; idxs[threadIdx.x] = oi;
            }
        }
        __syncthreads();
    }
    if (threadIdx.x == 0) best[r] = idxs[0];
}

void row_argmax(const float* logits, int* best, int rows, int cols) {
    float* d_logits; int* d_best;
    cudaMalloc(&d_logits, (size_t)rows * cols * sizeof(float));
    cudaMalloc(&d_best, rows * sizeof(int));
    cudaMemcpy(d_logits, logits, (size_t)rows * cols * sizeof(float), cudaMemcpyHostToDevice);
    row_argmax_kernel<<<rows, THREADS>>>(d_logits, d_best, rows, cols);
    cudaMemcpy(best, d_best, rows * sizeof(int), cudaMemcpyDeviceToHost);
    cudaFree(d_logits); cudaFree(d_best);
}
