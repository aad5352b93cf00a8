// A 1-D three-point stencil with the interior test (the edges keep their values, doubled),
// an unsigned size, and a grid-stride loop; a second kernel whose test names an element
// that is no edge (i == 5) keeps its test in the loop.
__global__ void smooth(unsigned n, const float* x, float* y) {
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) {
        float c = x[i];
        if (i > 0 && i < n - 1) y[i] = 0.25f * x[i - 1] + 0.5f * c + 0.25f * x[i + 1];
        else y[i] = 2.0f * c;
    }
}

__global__ void mark(unsigned n, float* y) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        if (i == 5) y[i] = -1.0f;
        else y[i] = y[i] * 3.0f;
    }
}

// transverify: shape x=n, y=n
void stencil1d(unsigned n, const float* x, float* y) {
    float *dx, *dy;
    cudaMalloc(&dx, n * sizeof(float));
    cudaMalloc(&dy, n * sizeof(float));
    cudaMemcpy(dx, x, n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dy, y, n * sizeof(float), cudaMemcpyHostToDevice);
    smooth<<<64, 128>>>(n, dx, dy);
    mark<<<(n + 127) / 128, 128>>>(n, dy);
    cudaMemcpy(y, dy, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dx);
    cudaFree(dy);
}
