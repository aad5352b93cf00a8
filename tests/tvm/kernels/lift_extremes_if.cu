// One thread per row: the largest and smallest element kept by compare-and-assign
// (`if (v > mx) mx = v;`, `if (mn > v) mn = v;`) rather than fmaxf/fminf.
// transverify: shape x=rows*cols, lo=rows, hi=rows
__global__ void extremes_kernel(int rows, int cols, const float* x, float* lo, float* hi) {
    int r = blockIdx.x * blockDim.x + threadIdx.x;
    if (r < rows) {
        float mx = -INFINITY;
        for (int c = 0; c < cols; ++c) {
            if (x[r * cols + c] > mx) {
                mx = x[r * cols + c];
            }
        }
        float mn = INFINITY;
        for (int c = 0; c < cols; ++c) {
            float v = x[r * cols + c];
            if (mn > v) mn = v;
        }
        lo[r] = mn;
        hi[r] = mx;
    }
}

void extremes_rows(int rows, int cols, const float* x, float* lo, float* hi) {
    float *dx, *dlo, *dhi;
    cudaMalloc(&dx, rows * cols * sizeof(float));
    cudaMalloc(&dlo, rows * sizeof(float)); cudaMalloc(&dhi, rows * sizeof(float));
    cudaMemcpy(dx, x, rows * cols * sizeof(float), cudaMemcpyHostToDevice);
    extremes_kernel<<<(rows + 127) / 128, 128>>>(rows, cols, dx, dlo, dhi);
    cudaMemcpy(lo, dlo, rows * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(hi, dhi, rows * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dlo); cudaFree(dhi);
}
