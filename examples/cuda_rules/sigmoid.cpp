#include <cmath>
// Logistic function, elementwise.
void sigmoid(int n, const float* x, float* y) {
    for (int i = 0; i < n; ++i) y[i] = 1.0f / (1.0f + std::exp(-x[i]));
}
