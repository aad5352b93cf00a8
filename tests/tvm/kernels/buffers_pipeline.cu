// Two launches through an intermediate device buffer (no host copy), an accumulator zeroed with
// cudaMemset, and a result copied to a host array other than the one it was loaded from.
__global__ void square(int n, const float* x, float* sq) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) sq[i] = x[i] * x[i];
}

__global__ void row_sums(int rows, int cols, const float* sq, float* acc) {
    int r = blockIdx.x * blockDim.x + threadIdx.x;
    if (r < rows) {
        for (int c = 0; c < cols; ++c) acc[r] += sq[r * cols + c];
    }
}

// No shape comment: the verifier reads the extents from the copies, through the local n.
void row_energy(int rows, int cols, const float* x, float* energy) {
    int n = rows * cols;
    float *d_x, *d_sq, *d_acc;
    cudaMalloc(&d_x, n * sizeof(float));
    cudaMalloc(&d_sq, n * sizeof(float));
    cudaMalloc(&d_acc, rows * sizeof(float));
    cudaMemcpy(d_x, x, n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemset(d_acc, 0, rows * sizeof(float));
    square<<<(n + 255) / 256, 256>>>(n, d_x, d_sq);
    row_sums<<<(rows + 63) / 64, 64>>>(rows, cols, d_sq, d_acc);
    cudaMemcpy(energy, d_acc, rows * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(d_x);
    cudaFree(d_sq);
    cudaFree(d_acc);
}
