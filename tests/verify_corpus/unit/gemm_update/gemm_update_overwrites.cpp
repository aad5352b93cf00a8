// Treats C as output only: the product overwrites C instead of being added to it.
void gemm_update(int m, int n, int k, const double* a, const double* b, double* c) {
    for (int j = 0; j < n; ++j) {
        for (int i = 0; i < m; ++i) {
            double sum = 0.0;
            for (int l = 0; l < k; ++l) {
                sum += a[i + l * m] * b[l + j * k];
            }
            c[i + j * m] = sum;
        }
    }
}
