// A transpose's signature and shared tile, but the tile is written back in place: a copy.
#define TILE 16
// transverify: shape in=rows*cols, out=rows*cols
__global__ void copy_tiled(const float* in, float* out, int rows, int cols) {
    __shared__ float tile[TILE][TILE];
    int c = blockIdx.x * TILE + threadIdx.x, r = blockIdx.y * TILE + threadIdx.y;
    if (r < rows && c < cols) tile[threadIdx.y][threadIdx.x] = in[r * cols + c];
    __syncthreads();
    if (r < rows && c < cols) out[r * cols + c] = tile[threadIdx.y][threadIdx.x];
}

void copy_matrix(const float* in, float* out, int rows, int cols) {
    size_t bytes = (size_t)rows * cols * sizeof(float);
    float *d_in, *d_out;
    cudaMalloc(&d_in, bytes); cudaMalloc(&d_out, bytes);
    cudaMemcpy(d_in, in, bytes, cudaMemcpyHostToDevice);
    dim3 grid((cols + TILE - 1) / TILE, (rows + TILE - 1) / TILE), block(TILE, TILE);
    copy_tiled<<<grid, block>>>(d_in, d_out, rows, cols);
    cudaMemcpy(out, d_out, bytes, cudaMemcpyDeviceToHost);
    cudaFree(d_in); cudaFree(d_out);
}
