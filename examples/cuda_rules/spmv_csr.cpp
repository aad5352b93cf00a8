// y = A x, A in CSR form (row pointers, column indices, values).
// transverify: shape rowptr=rows+1, col=1000, val=1000, x=1000, y=rows
void spmv_csr(int rows, const int* rowptr, const int* col, const float* val, const float* x, float* y) {
    for (int r = 0; r < rows; ++r) {
        float acc = 0.0f;
        for (int k = rowptr[r]; k < rowptr[r + 1]; ++k) acc += val[k] * x[col[k]];
        y[r] = acc;
    }
}
