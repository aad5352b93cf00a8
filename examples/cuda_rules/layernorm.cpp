#include <cmath>
// Layer normalisation of each row, with a learned scale and shift per column.
// transverify: shape x=rows*cols, gamma=cols, beta=cols, y=rows*cols
void layernorm(int rows, int cols, float eps, const float* x, const float* gamma, const float* beta, float* y) {
    for (int r = 0; r < rows; ++r) {
        float mean = 0.0f;
        for (int c = 0; c < cols; ++c) mean += x[r * cols + c];
        mean /= cols;
        float var = 0.0f;
        for (int c = 0; c < cols; ++c) var += (x[r * cols + c] - mean) * (x[r * cols + c] - mean);
        var /= cols;
        const float inv = 1.0f / std::sqrt(var + eps + 1.0f);
        for (int c = 0; c < cols; ++c) y[r * cols + c] = (x[r * cols + c] - mean) * inv * gamma[c] + beta[c];
    }
}
