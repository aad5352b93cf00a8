#include <cmath>
// Largest absolute value.
float amax(int n, const float* x) {
    float m = 0.0f;
    for (int i = 0; i < n; ++i) m = std::fmax(m, std::fabs(x[i]));
    return m;
}
