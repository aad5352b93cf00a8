// Two halves on two streams, asynchronous copies, timed with events.
__global__ void axpby_kernel(int n, float a, float b, const float* x, float* y) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = a * x[i] + b * y[i];
}

void axpby(int n, float a, float b, const float* x, float* y) {
    float *dx, *dy;
    cudaMalloc(&dx, n * sizeof(float));
    cudaMalloc(&dy, n * sizeof(float));
    cudaStream_t s[2];
    cudaEvent_t start, stop;
    cudaEventCreate(&start);
    cudaEventCreate(&stop);
    cudaEventRecord(start);
    int half = n / 2;
    for (int k = 0; k < 2; ++k) {
        cudaStreamCreate(&s[k]);
        int off = k * half, len = half;
        if (len == 0) continue;
        cudaMemcpyAsync(dx + off, x + off, len * sizeof(float), cudaMemcpyHostToDevice, s[k]);
        cudaMemcpyAsync(dy + off, y + off, len * sizeof(float), cudaMemcpyHostToDevice, s[k]);
        axpby_kernel<<<(len + 255) / 256, 256, 0, s[k]>>>(len, a, b, dx + off, dy + off);
        cudaMemcpyAsync(y + off, dy + off, len * sizeof(float), cudaMemcpyDeviceToHost, s[k]);
    }
    cudaEventRecord(stop);
    cudaEventSynchronize(stop);
    float ms = 0.0f;
    cudaEventElapsedTime(&ms, start, stop);
    for (int k = 0; k < 2; ++k) {
        cudaStreamSynchronize(s[k]);
        cudaStreamDestroy(s[k]);
    }
    cudaEventDestroy(start);
    cudaEventDestroy(stop);
    cudaFree(dx);
    cudaFree(dy);
}
