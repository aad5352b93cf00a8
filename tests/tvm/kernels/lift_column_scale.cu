// One thread per row writes one column, `col`, of a row-major matrix (stride WIDTH, offset col):
// the other columns keep their values.
#define WIDTH 6

// transverify: shape a=rows*6, out=rows*6
__global__ void scale_column(int rows, int col, float s, const float* a, float* out) {
    int r = blockIdx.x * blockDim.x + threadIdx.x;
    if (r < rows) out[r * WIDTH + col] = s * a[r * WIDTH + col] + a[r * WIDTH];
}

void scale_column_host(int rows, int col, float s, const float* a, float* out) {
    float *da, *dout;
    cudaMalloc(&da, rows * 6 * sizeof(float)); cudaMalloc(&dout, rows * 6 * sizeof(float));
    cudaMemcpy(da, a, rows * 6 * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dout, out, rows * 6 * sizeof(float), cudaMemcpyHostToDevice);
    scale_column<<<(rows + 31) / 32, 32>>>(rows, col, s, da, dout);
    cudaMemcpy(out, dout, rows * 6 * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(da); cudaFree(dout);
}
