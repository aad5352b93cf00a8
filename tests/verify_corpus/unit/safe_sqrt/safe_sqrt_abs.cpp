#include <cmath>

// "Fixes" the NaNs by taking the root of |x|: different results for negative inputs.
void root_and_reciprocal(int n, const double* x, double* root, double* recip) {
    for (int i = 0; i < n; ++i) {
        root[i] = std::sqrt(std::fabs(x[i]));
        recip[i] = 1.0 / (1.0 + std::fabs(x[i]));
    }
}
