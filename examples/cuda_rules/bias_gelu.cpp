#include <cmath>
// y = gelu(x + bias) row by row (tanh approximation).
// transverify: shape x=rows*cols, bias=cols, y=rows*cols
void bias_gelu(int rows, int cols, const float* x, const float* bias, float* y) {
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) {
            float v = x[r * cols + c] + bias[c];
            y[r * cols + c] = 0.5f * v * (1.0f + std::tanh(0.7978845608f * (v + 0.044715f * v * v * v)));
        }
}
