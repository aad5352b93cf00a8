#include <cmath>

// NaN for negative inputs, exactly as the Fortran does.
void root_and_reciprocal(int n, const double* x, double* root, double* recip) {
    for (int i = 0; i < n; ++i) {
        root[i] = std::sqrt(x[i]);
        recip[i] = 1.0 / (1.0 + std::fabs(x[i]));
    }
}
