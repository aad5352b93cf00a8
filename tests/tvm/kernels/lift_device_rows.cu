// A helper with a reduction loop over a row (`&a[r * cols]`: a pointer parameter at the row), a void helper
// that stores through its pointer parameter and returns early, a const reference parameter.
// transverify: shape a=rows*cols, x=cols, y=rows, flags=rows
__device__ float dot(const float* row, const float* v, int len) {
    float acc = 0.0f;
    for (int k = 0; k < len; ++k) {
        acc += row[k] * v[k];
    }
    return acc;
}

__device__ void put_flagged(float* out, int* flags, int r, const float& value, float limit) {
    out[r] = value;
    if (value <= limit) {
        flags[r] = 0;
        return;
    }
    out[r] = limit;
    flags[r] = 1;
}

__global__ void rows_kernel(int rows, int cols, const float* a, const float* x, float limit, float* y, int* flags) {
    int r = blockIdx.x * blockDim.x + threadIdx.x;
    if (r < rows) {
        float s = dot(&a[r * cols], x, cols);
        put_flagged(y, flags, r, s, limit);
    }
}

void rows_dot(int rows, int cols, const float* a, const float* x, float limit, float* y, int* flags) {
    float *da, *dx, *dy; int* df;
    cudaMalloc(&da, rows * cols * sizeof(float)); cudaMalloc(&dx, cols * sizeof(float));
    cudaMalloc(&dy, rows * sizeof(float)); cudaMalloc(&df, rows * sizeof(int));
    cudaMemcpy(da, a, rows * cols * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dx, x, cols * sizeof(float), cudaMemcpyHostToDevice);
    rows_kernel<<<(rows + 63) / 64, 64>>>(rows, cols, da, dx, limit, dy, df);
    cudaMemcpy(y, dy, rows * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(flags, df, rows * sizeof(int), cudaMemcpyDeviceToHost);
    cudaFree(da); cudaFree(dx); cudaFree(dy); cudaFree(df);
}
