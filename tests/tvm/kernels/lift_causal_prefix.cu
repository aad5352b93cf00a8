// A causal prefix sum over each row, one thread per element: out[r][t] = x[r][0] + ... + x[r][t];
// and the sum of those prefix sums (a loop bounded by the enclosing loop's variable).
// transverify: shape x=rows*T, out=rows*T, twice=rows*T
__global__ void causal_prefix_kernel(int rows, int T, const float* x, float* out, float* twice) {
    int idx = blockIdx.x * blockDim.x + threadIdx.x;
    if (idx < rows * T) {
        int r = idx / T;
        int t = idx % T;
        float acc = 0.0f;
        for (int t2 = 0; t2 <= t; ++t2) {
            acc += x[r * T + t2];
        }
        out[idx] = acc;
        float acc2 = 0.0f;
        for (int t2 = 0; t2 <= t; ++t2) {
            for (int t3 = 0; t3 <= t2; ++t3) acc2 += x[r * T + t3];
        }
        twice[idx] = acc2;
    }
}

void causal_prefix(int rows, int T, const float* x, float* out, float* twice) {
    float *dx, *dout, *dtwice;
    cudaMalloc(&dx, rows * T * sizeof(float)); cudaMalloc(&dout, rows * T * sizeof(float));
    cudaMalloc(&dtwice, rows * T * sizeof(float));
    cudaMemcpy(dx, x, rows * T * sizeof(float), cudaMemcpyHostToDevice);
    causal_prefix_kernel<<<(rows * T + 63) / 64, 64>>>(rows, T, dx, dout, dtwice);
    cudaMemcpy(out, dout, rows * T * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(twice, dtwice, rows * T * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dout); cudaFree(dtwice);
}
