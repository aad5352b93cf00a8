#include <cmath>
// Largest element (n >= 1).
float maxval(int n, const float* x) {
    float m = -INFINITY;
    for (int i = 0; i < n; ++i) m = std::fmax(m, x[i]);
    return m;
}
