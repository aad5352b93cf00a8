#include <algorithm>

// Returns the position as a C index: one less than the Fortran caller expects.
void range_of(int n, const float* x, float& xmin, float& xmax, int& imin) {
    xmin = x[0];
    xmax = x[0];
    imin = 0;
    for (int i = 1; i < n; ++i) {
        if (x[i] < xmin) {
            xmin = x[i];
            imin = i;
        }
        xmax = std::max(xmax, x[i]);
    }
}
