// Sizes of other integer types: a size_t row count bounding a size_t index, a long row length bounding
// a long loop, an unsigned count of leading columns bounding an unsigned loop. Extents are read as ints.
// transverify: shape a=rows*cols, y=rows, lead=rows
__global__ void row_stats(size_t rows, long cols, unsigned m, const float* a, float* y, double* lead) {
    size_t r = blockIdx.x * blockDim.x + threadIdx.x;
    if (r >= rows) return;
    float s = 0.0f;
    for (long c = 0; c < cols; ++c) {
        s += a[r * cols + c];
    }
    double first = 0.0;
    for (unsigned c = 0; c < m; ++c) {
        first += (double)a[r * cols + c];
    }
    y[r] = s / (float)cols;
    lead[r] = first;
}

void stats(size_t rows, long cols, unsigned m, const float* a, float* y, double* lead) {
    float *da, *dy; double* dl;
    cudaMalloc(&da, rows * cols * sizeof(float)); cudaMalloc(&dy, rows * sizeof(float));
    cudaMalloc(&dl, rows * sizeof(double));
    cudaMemcpy(da, a, rows * cols * sizeof(float), cudaMemcpyHostToDevice);
    row_stats<<<(unsigned)((rows + 63) / 64), 64>>>(rows, cols, m, da, dy, dl);
    cudaMemcpy(y, dy, rows * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(lead, dl, rows * sizeof(double), cudaMemcpyDeviceToHost);
    cudaFree(da); cudaFree(dy); cudaFree(dl);
}
