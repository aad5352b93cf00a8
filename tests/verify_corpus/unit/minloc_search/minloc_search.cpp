#include <algorithm>

// imin stays a Fortran (1-based) position: it is data, not a C index.
void range_of(int n, const float* x, float& xmin, float& xmax, int& imin) {
    xmin = x[0];
    xmax = x[0];
    imin = 1;
    for (int i = 1; i < n; ++i) {
        if (x[i] < xmin) {
            xmin = x[i];
            imin = i + 1;
        }
        xmax = std::max(xmax, x[i]);
    }
}
