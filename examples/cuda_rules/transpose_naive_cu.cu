// Naive transpose with a 2-D grid: out (cols x rows) = in (rows x cols)^T.
// transverify: shape in=rows*cols, out=rows*cols
__global__ void transpose_naive(int rows, int cols, const float* in, float* out) {
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    int r = blockIdx.y * blockDim.y + threadIdx.y;
    if (r < rows && c < cols) out[c * rows + r] = in[r * cols + c];
}

void transpose(int rows, int cols, const float* in, float* out) {
    size_t bytes = (size_t)rows * cols * sizeof(float);
    float *din, *dout;
    cudaMalloc(&din, bytes);
    cudaMalloc(&dout, bytes);
    cudaMemcpy(din, in, bytes, cudaMemcpyHostToDevice);
    dim3 block(32, 8), grid((cols + 31) / 32, (rows + 7) / 8);
    transpose_naive<<<grid, block>>>(rows, cols, din, dout);
    cudaMemcpy(out, dout, bytes, cudaMemcpyDeviceToHost);
    cudaFree(din); cudaFree(dout);
}
