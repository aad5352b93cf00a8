// One thread per element, 2-D grid; the store index is column-major in the thread's axes.
// transverify: shape in=rows*cols, out=rows*cols
__global__ void transpose_kernel(int rows, int cols, const float* in, float* out) {
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    int r = blockIdx.y * blockDim.y + threadIdx.y;
    if (r < rows && c < cols) out[c * rows + r] = in[r * cols + c];
}

void transpose_naive(int rows, int cols, const float* in, float* out) {
    size_t bytes = rows * cols * sizeof(float);
    float *din, *dout;
    cudaMalloc(&din, bytes); cudaMalloc(&dout, bytes);
    cudaMemcpy(din, in, bytes, cudaMemcpyHostToDevice);
    dim3 block(16, 16), grid((cols + 15) / 16, (rows + 15) / 16);
    transpose_kernel<<<grid, block>>>(rows, cols, din, dout);
    cudaMemcpy(out, dout, bytes, cudaMemcpyDeviceToHost);
    cudaFree(din); cudaFree(dout);
}
