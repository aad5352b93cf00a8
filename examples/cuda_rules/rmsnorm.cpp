#include <cmath>
// RMS normalisation of each row.
// transverify: shape x=rows*cols, w=cols, y=rows*cols
void rmsnorm(int rows, int cols, const float* x, const float* w, float* y) {
    for (int r = 0; r < rows; ++r) {
        float ss = 0.0f;
        for (int c = 0; c < cols; ++c) ss += x[r * cols + c] * x[r * cols + c];
        const float scale = 1.0f / std::sqrt(ss / cols + 1e-5f);
        for (int c = 0; c < cols; ++c) y[r * cols + c] = x[r * cols + c] * scale * w[c];
    }
}
