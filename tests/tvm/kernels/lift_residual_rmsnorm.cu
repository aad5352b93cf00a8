// Residual add then RMS norm, one thread per row. The pointer parameters are advanced to the row
// (`a += row * cols;`), the first loop stores the residual and keeps its largest magnitude, the
// second sums squares of the stored residual (read back in a reduction loop), the third normalises it.
// transverify: shape out=rows*cols, resid=rows*cols, peak=rows, a=rows*cols, b=rows*cols
__global__ void add_rmsnorm(float* out, float* resid, float* peak, const float* a, const float* b, int rows, int cols,
                            float eps) {
    int row = blockIdx.x * blockDim.x + threadIdx.x;
    if (row >= rows) return;
    a += row * cols;
    b += row * cols;
    resid += row * cols;
    out += row * cols;
    float top = 0.0f;
    for (int c = 0; c < cols; ++c) {
        resid[c] = a[c] + b[c];
        top = fmaxf(top, fabsf(resid[c]));
    }
    float squares = 0.0f;
    for (int c = 0; c < cols; ++c) squares += resid[c] * resid[c];
    float inv = rsqrtf(squares / cols + eps);
    for (int c = 0; c < cols; ++c) out[c] = resid[c] * inv;
    peak[row] = top;
}

void residual_rmsnorm(float* out, float* resid, float* peak, const float* a, const float* b, int rows, int cols,
                      float eps) {
    float *d_out, *d_resid, *d_peak, *d_a, *d_b;
    cudaMalloc(&d_out, rows * cols * sizeof(float));
    cudaMalloc(&d_resid, rows * cols * sizeof(float));
    cudaMalloc(&d_peak, rows * sizeof(float));
    cudaMalloc(&d_a, rows * cols * sizeof(float));
    cudaMalloc(&d_b, rows * cols * sizeof(float));
    cudaMemcpy(d_a, a, rows * cols * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(d_b, b, rows * cols * sizeof(float), cudaMemcpyHostToDevice);
    add_rmsnorm<<<(rows + 31) / 32, 32>>>(d_out, d_resid, d_peak, d_a, d_b, rows, cols, eps);
    cudaMemcpy(out, d_out, rows * cols * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(resid, d_resid, rows * cols * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(peak, d_peak, rows * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(d_out); cudaFree(d_resid); cudaFree(d_peak); cudaFree(d_a); cudaFree(d_b);
}
