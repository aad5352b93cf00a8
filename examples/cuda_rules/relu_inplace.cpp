#include <algorithm>
// In-place ReLU.
void relu_inplace(int n, float* x) {
    for (int i = 0; i < n; ++i) x[i] = std::max(x[i], 0.0f);
}
