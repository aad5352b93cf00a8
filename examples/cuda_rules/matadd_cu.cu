// C = A + B with a 2-D grid.
// transverify: shape A=rows*cols, B=rows*cols, C=rows*cols
__global__ void matadd_kernel(int rows, int cols, const float* A, const float* B, float* C) {
    int r = blockIdx.y * blockDim.y + threadIdx.y;
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    if (r < rows && c < cols) C[r * cols + c] = A[r * cols + c] + B[r * cols + c];
}

void matadd(int rows, int cols, const float* A, const float* B, float* C) {
    size_t bytes = (size_t)rows * cols * sizeof(float);
    float *dA, *dB, *dC;
    cudaMalloc(&dA, bytes); cudaMalloc(&dB, bytes); cudaMalloc(&dC, bytes);
    cudaMemcpy(dA, A, bytes, cudaMemcpyHostToDevice);
    cudaMemcpy(dB, B, bytes, cudaMemcpyHostToDevice);
    dim3 block(16, 16), grid((cols + 15) / 16, (rows + 15) / 16);
    matadd_kernel<<<grid, block>>>(rows, cols, dA, dB, dC);
    cudaDeviceSynchronize();
    cudaMemcpy(C, dC, bytes, cudaMemcpyDeviceToHost);
    cudaFree(dA); cudaFree(dB); cudaFree(dC);
}
