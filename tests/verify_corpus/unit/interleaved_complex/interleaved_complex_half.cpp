// Treats n as the number of reals rather than of complex values: half the pairs are skipped.
void cmul_interleaved(int n, const double* a, const double* b, double* c) {
    for (int k = 0; k + 1 < n; k += 2) {
        c[k] = a[k] * b[k] - a[k + 1] * b[k + 1];
        c[k + 1] = a[k] * b[k + 1] + a[k + 1] * b[k];
    }
}
