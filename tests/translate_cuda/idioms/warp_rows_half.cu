// Looks like one warp per row, but the shuffles start at 8: lane 0 adds only lanes 0-15 (a bug the
// literal translation keeps, so that the verifier compares like with like).
// transverify: shape A=m*n, x=n, y=m
__global__ void gemv_warp(int m, int n, const float* A, const float* x, float* y) {
    int warp = (blockIdx.x * blockDim.x + threadIdx.x) / 32;
    int lane = threadIdx.x % 32;
    float acc = 0.0f;
    if (warp < m)
        for (int j = lane; j < n; j += 32) acc += A[warp * n + j] * x[j];
    for (int offset = 8; offset > 0; offset /= 2) acc += __shfl_down_sync(0xffffffffu, acc, offset);
    if (lane == 0 && warp < m) y[warp] = acc;
}

void gemv(int m, int n, const float* A, const float* x, float* y) {
    float *dA, *dx, *dy;
    cudaMalloc(&dA, (size_t)m * n * sizeof(float));
    cudaMalloc(&dx, n * sizeof(float));
    cudaMalloc(&dy, m * sizeof(float));
    cudaMemcpy(dA, A, (size_t)m * n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dx, x, n * sizeof(float), cudaMemcpyHostToDevice);
    gemv_warp<<<(m * 32 + 127) / 128, 128>>>(m, n, dA, dx, dy);
    cudaMemcpy(y, dy, m * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dA); cudaFree(dx); cudaFree(dy);
}
