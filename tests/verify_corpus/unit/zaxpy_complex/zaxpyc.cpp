#include <complex>
void zaxpyc(int n, std::complex<double> a, const std::complex<double>* x, std::complex<double>* y,
            std::complex<double>& s) {
    s = 0.0;
    for (int i = 0; i < n; ++i) {
        y[i] = a * std::conj(x[i]) + y[i];
        s += y[i] * std::abs(x[i]);
    }
}
