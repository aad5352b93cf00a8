// Broadcasts: a per-row bias and a per-column scale over a 2-D grid (y = x * scale[c] + bias[r]).
// transverify: shape x=rows*cols, scale=cols, bias=rows, y=rows*cols
__global__ void affine_kernel(int rows, int cols, const float* x, const float* scale, const float* bias, float* y) {
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    int r = blockIdx.y * blockDim.y + threadIdx.y;
    if (r < rows && c < cols) y[r * cols + c] = x[r * cols + c] * scale[c] + bias[r];
}

void affine_rows(int rows, int cols, const float* x, const float* scale, const float* bias, float* y) {
    size_t bytes = (size_t)rows * cols * sizeof(float);
    float *dx, *ds, *db, *dy;
    cudaMalloc(&dx, bytes); cudaMalloc(&dy, bytes);
    cudaMalloc(&ds, cols * sizeof(float)); cudaMalloc(&db, rows * sizeof(float));
    cudaMemcpy(dx, x, bytes, cudaMemcpyHostToDevice);
    cudaMemcpy(ds, scale, cols * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(db, bias, rows * sizeof(float), cudaMemcpyHostToDevice);
    dim3 block(32, 4), grid((cols + 31) / 32, (rows + 3) / 4);
    affine_kernel<<<grid, block>>>(rows, cols, dx, ds, db, dy);
    cudaMemcpy(y, dy, bytes, cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(ds); cudaFree(db); cudaFree(dy);
}
