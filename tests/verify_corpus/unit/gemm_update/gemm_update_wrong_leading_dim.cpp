// Uses k as the leading dimension of A (its column count), a classic stride slip.
void gemm_update(int m, int n, int k, const double* a, const double* b, double* c) {
    for (int j = 0; j < n; ++j) {
        for (int l = 0; l < k; ++l) {
            const double blj = b[l + j * k];
            for (int i = 0; i < m; ++i) {
                c[i + j * m] += a[l + i * k] * blj;
            }
        }
    }
}
