// Sign slip in the real part: computes a * conj(b) for the real component.
void cmul_interleaved(int n, const double* a, const double* b, double* c) {
    for (int k = 0; k < n; ++k) {
        const double ar = a[2 * k], ai = a[2 * k + 1];
        const double br = b[2 * k], bi = b[2 * k + 1];
        c[2 * k] = ar * br + ai * bi;
        c[2 * k + 1] = ar * bi + ai * br;
    }
}
