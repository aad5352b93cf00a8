// One thread per row: a min and a max reduction in one loop, two outputs, and their range.
// transverify: shape x=rows*cols, lo=rows, hi=rows, span=rows
__global__ void minmax_kernel(int rows, int cols, const float* x, float* lo, float* hi, float* span) {
    int r = blockIdx.x * blockDim.x + threadIdx.x;
    if (r < rows) {
        float mn = INFINITY, mx = -INFINITY;
        for (int c = 0; c < cols; ++c) {
            float v = x[r * cols + c];
            mn = fminf(mn, v);
            mx = fmaxf(mx, v);
        }
        lo[r] = mn;
        hi[r] = mx;
        span[r] = mx - mn;
    }
}

void minmax_rows(int rows, int cols, const float* x, float* lo, float* hi, float* span) {
    float *dx, *dlo, *dhi, *ds;
    cudaMalloc(&dx, rows * cols * sizeof(float));
    cudaMalloc(&dlo, rows * sizeof(float)); cudaMalloc(&dhi, rows * sizeof(float)); cudaMalloc(&ds, rows * sizeof(float));
    cudaMemcpy(dx, x, rows * cols * sizeof(float), cudaMemcpyHostToDevice);
    minmax_kernel<<<(rows + 127) / 128, 128>>>(rows, cols, dx, dlo, dhi, ds);
    cudaMemcpy(lo, dlo, rows * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(hi, dhi, rows * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(span, ds, rows * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dlo); cudaFree(dhi); cudaFree(ds);
}
