// A transpose without shared memory where each thread moves TILE / ROWS elements of its tile
// column (a loop stepping by ROWS, which the lifter does not read): the transpose template
// stands in for it.
#define TILE 16
#define ROWS 4
// transverify: shape src=h*w, dst=h*w
__global__ void transpose_strided(double* dst, const double* src, int w, int h) {
    int x = blockIdx.x * TILE + threadIdx.x;
    int y = blockIdx.y * TILE + threadIdx.y;
    for (int i = 0; i < TILE; i += ROWS)
        if (x < w && y + i < h) dst[x * h + (y + i)] = src[(y + i) * w + x];
}

void transpose_doubles(double* dst, const double* src, int w, int h) {
    size_t bytes = (size_t)w * h * sizeof(double);
    double *d_src, *d_dst;
    cudaMalloc(&d_src, bytes); cudaMalloc(&d_dst, bytes);
    cudaMemcpy(d_src, src, bytes, cudaMemcpyHostToDevice);
    dim3 grid((w + TILE - 1) / TILE, (h + TILE - 1) / TILE), block(TILE, ROWS);
    transpose_strided<<<grid, block>>>(d_dst, d_src, w, h);
    cudaMemcpy(dst, d_dst, bytes, cudaMemcpyDeviceToHost);
    cudaFree(d_src); cudaFree(d_dst);
}
