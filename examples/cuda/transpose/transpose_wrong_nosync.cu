// 32x32 tiles through shared memory padded to 33 columns (no bank conflicts), 32x8 threads.
// transverify: shape in=rows*cols, out=rows*cols
#define T 32
#define R 8
__global__ void transpose_kernel(int rows, int cols, const float* in, float* out) {
    __shared__ float tile[T][T + 1];
    int x = blockIdx.x * T + threadIdx.x, y = blockIdx.y * T + threadIdx.y;
    for (int j = 0; j < T; j += R)
        if (x < cols && y + j < rows) tile[threadIdx.y + j][threadIdx.x] = in[(y + j) * cols + x];
    x = blockIdx.y * T + threadIdx.x;
    y = blockIdx.x * T + threadIdx.y;
    for (int j = 0; j < T; j += R)
        if (x < rows && y + j < cols) out[(y + j) * rows + x] = tile[threadIdx.x][threadIdx.y + j];
}

void transpose(int rows, int cols, const float* in, float* out) {
    size_t bytes = (size_t)rows * cols * sizeof(float);
    float *din, *dout;
    cudaMalloc(&din, bytes); cudaMalloc(&dout, bytes);
    cudaMemcpy(din, in, bytes, cudaMemcpyHostToDevice);
    dim3 grid((cols + T - 1) / T, (rows + T - 1) / T), block(T, R);
    transpose_kernel<<<grid, block>>>(rows, cols, din, dout);
    cudaMemcpy(out, dout, bytes, cudaMemcpyDeviceToHost);
    cudaFree(din); cudaFree(dout);
}
