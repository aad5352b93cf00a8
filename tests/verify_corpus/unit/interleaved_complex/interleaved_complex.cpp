#include <complex>

// Interleaved pairs are layout-compatible with std::complex<double>.
void cmul_interleaved(int n, const double* a, const double* b, double* c) {
    for (int k = 0; k < n; ++k) {
        const std::complex<double> za(a[2 * k], a[2 * k + 1]);
        const std::complex<double> zb(b[2 * k], b[2 * k + 1]);
        const std::complex<double> zc = za * zb;
        c[2 * k] = zc.real();
        c[2 * k + 1] = zc.imag();
    }
}
