// Accumulators updated through __device__ helpers' reference parameters inside loops: a sum
// (`acc(s, v)`), a maximum, a sum of squares through a helper that passes its reference on to
// `acc`, and a conditional count, each a reduction over the row.
// transverify: shape x=rows*cols, sums=rows, maxima=rows, squares=rows, positives=rows
__device__ void acc(float& s, float v) { s += v; }

__device__ void keep_max(float& m, float v) { m = fmaxf(m, v); }

__device__ void add_square(float& s, float v) { acc(s, v * v); }

__device__ void count_if(int& count, bool hit) {
    if (hit) count++;
}

__global__ void row_stats(int rows, int cols, const float* x, float* sums, float* maxima, float* squares,
                          int* positives) {
    int r = blockIdx.x * blockDim.x + threadIdx.x;
    if (r < rows) {
        float s = 0.0f, m = -INFINITY, q = 0.0f;
        int p = 0;
        for (int c = 0; c < cols; ++c) {
            float v = x[r * cols + c];
            acc(s, v);
            keep_max(m, v);
            add_square(q, v);
            count_if(p, v > 0.0f);
        }
        sums[r] = s;
        maxima[r] = m;
        squares[r] = q;
        positives[r] = p;
    }
}

void row_statistics(int rows, int cols, const float* x, float* sums, float* maxima, float* squares, int* positives) {
    float *dx, *ds, *dm, *dq;
    int* dp;
    cudaMalloc(&dx, rows * cols * sizeof(float)); cudaMalloc(&ds, rows * sizeof(float));
    cudaMalloc(&dm, rows * sizeof(float)); cudaMalloc(&dq, rows * sizeof(float)); cudaMalloc(&dp, rows * sizeof(int));
    cudaMemcpy(dx, x, rows * cols * sizeof(float), cudaMemcpyHostToDevice);
    row_stats<<<(rows + 63) / 64, 64>>>(rows, cols, dx, ds, dm, dq, dp);
    cudaMemcpy(sums, ds, rows * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(maxima, dm, rows * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(squares, dq, rows * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(positives, dp, rows * sizeof(int), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(ds); cudaFree(dm); cudaFree(dq); cudaFree(dp);
}
