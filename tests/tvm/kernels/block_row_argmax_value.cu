// One block per row: (value, index) pairs reduced in shared memory; both the largest value and its
// index (the first on ties) are written.
#define THREADS 64
// transverify: shape scores=rows*cols, top=rows, top_index=rows
__global__ void row_top_kernel(const float* scores, float* top, int* top_index, int rows, int cols) {
    __shared__ float vals[THREADS];
    __shared__ int idxs[THREADS];
    int r = blockIdx.x;
    const float* row = scores + (size_t)r * cols;
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
    if (threadIdx.x == 0) {
        top[r] = vals[0];
        top_index[r] = idxs[0];
    }
}

void row_top(const float* scores, float* top, int* top_index, int rows, int cols) {
    float *d_scores, *d_top; int* d_index;
    cudaMalloc(&d_scores, (size_t)rows * cols * sizeof(float));
    cudaMalloc(&d_top, rows * sizeof(float)); cudaMalloc(&d_index, rows * sizeof(int));
    cudaMemcpy(d_scores, scores, (size_t)rows * cols * sizeof(float), cudaMemcpyHostToDevice);
    row_top_kernel<<<rows, THREADS>>>(d_scores, d_top, d_index, rows, cols);
    cudaMemcpy(top, d_top, rows * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(top_index, d_index, rows * sizeof(int), cudaMemcpyDeviceToHost);
    cudaFree(d_scores); cudaFree(d_top); cudaFree(d_index);
}
