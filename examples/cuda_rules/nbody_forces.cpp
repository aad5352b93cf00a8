#include <cmath>
// Softened pairwise attraction in 2-D: the force on every body from all others.
// transverify: shape x=n, y=n, fx=n, fy=n
void nbody_forces(int n, const float* x, const float* y, float* fx, float* fy) {
    for (int i = 0; i < n; ++i) {
        float ax = 0.0f, ay = 0.0f;
        for (int j = 0; j < n; ++j) {
            float dx = x[j] - x[i], dy = y[j] - y[i];
            float inv = 1.0f / std::sqrt(dx * dx + dy * dy + 0.01f);
            ax += dx * inv * inv * inv;
            ay += dy * inv * inv * inv;
        }
        fx[i] = ax;
        fy[i] = ay;
    }
}
