// One thread per row: a max reduction with an integer output of the arg-free kind.
// transverify: shape x=rows*cols, y=rows
__global__ void rowmax_kernel(int rows, int cols, const int* x, int* y) {
    int r = blockIdx.x * blockDim.x + threadIdx.x;
    if (r < rows) {
        int best = -1;
        for (int c = 0; c < cols; ++c) best = max(best, x[r * cols + c]);
        y[r] = best;
    }
}

void rowmax(int rows, int cols, const int* x, int* y) {
    int *dx, *dy;
    cudaMalloc(&dx, rows * cols * sizeof(int)); cudaMalloc(&dy, rows * sizeof(int));
    cudaMemcpy(dx, x, rows * cols * sizeof(int), cudaMemcpyHostToDevice);
    rowmax_kernel<<<(rows + 127) / 128, 128>>>(rows, cols, dx, dy);
    cudaMemcpy(y, dy, rows * sizeof(int), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dy);
}
