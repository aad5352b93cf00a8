// A 5-point average over the interior of a grid whose sizes are macros: the threads cover rows and
// columns 1 .. size - 2, so a row of the array is wider than the columns written; the border keeps
// its values.
#define GRID_ROWS 40
#define GRID_COLS 48

// transverify: shape src=1920, dst=1920
__global__ void smooth_interior(const float* src, float* dst) {
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    int r = blockIdx.y * blockDim.y + threadIdx.y;
    if (r > 0 && c > 0 && r < GRID_ROWS - 1 && c < GRID_COLS - 1) {
        dst[r * GRID_COLS + c] = 0.2f * (src[r * GRID_COLS + c] + src[(r - 1) * GRID_COLS + c] +
                                         src[(r + 1) * GRID_COLS + c] + src[r * GRID_COLS + c - 1] +
                                         src[r * GRID_COLS + c + 1]);
    }
}

void smooth(const float* src, float* dst) {
    float *dsrc, *ddst;
    cudaMalloc(&dsrc, 1920 * sizeof(float)); cudaMalloc(&ddst, 1920 * sizeof(float));
    cudaMemcpy(dsrc, src, 1920 * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(ddst, dst, 1920 * sizeof(float), cudaMemcpyHostToDevice);
    dim3 block(4, 4), grid((GRID_COLS + 3) / 4, (GRID_ROWS + 3) / 4);
    smooth_interior<<<grid, block>>>(dsrc, ddst);
    cudaMemcpy(dst, ddst, 1920 * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dsrc); cudaFree(ddst);
}
