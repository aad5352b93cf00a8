// Scalar launch arguments written as expressions: a macro, the host loop's variable plus one, and a
// product with a parameter; the pointers of two local buffers swapped each step.
#define N 300

__global__ void shift_scale(int n, int offset, float s, const float* x, float* y) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = s * x[(i + offset) % n] + 1.0f;
}

void shifted(const float* x, float* y, float w, int steps) {
    float *d_x, *d_y;
    cudaMalloc(&d_x, N * sizeof(float));
    cudaMalloc(&d_y, N * sizeof(float));
    cudaMemcpy(d_x, x, N * sizeof(float), cudaMemcpyHostToDevice);
    for (int t = 0; t < steps; ++t) {
        shift_scale<<<(N + 127) / 128, 128>>>(N, t + 1, 0.5f * w, d_x, d_y);
        std::swap(d_x, d_y);
    }
    cudaMemcpy(y, d_x, N * sizeof(float), cudaMemcpyDeviceToHost);
}
