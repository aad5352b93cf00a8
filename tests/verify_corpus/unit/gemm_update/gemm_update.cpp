// C += A*B, all column-major: A(i,l) = a[i + l*m], B(l,j) = b[l + j*k], C(i,j) = c[i + j*m].
void gemm_update(int m, int n, int k, const double* a, const double* b, double* c) {
    for (int j = 0; j < n; ++j) {
        for (int l = 0; l < k; ++l) {
            const double blj = b[l + j * k];
            for (int i = 0; i < m; ++i) {
                c[i + j * m] += a[i + l * m] * blj;
            }
        }
    }
}
