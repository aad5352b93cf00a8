#include <cmath>
// Row-wise softmax of a rows x cols matrix.
// transverify: shape x=rows*cols, y=rows*cols
void softmax(int rows, int cols, const float* x, float* y) {
    for (int r = 0; r < rows; ++r) {
        const float* row = x + (size_t)r * cols;
        float m = row[0];
        for (int c = 1; c < cols; ++c) m = std::fmax(m, row[c]);
        double s = 0;
        for (int c = 0; c < cols; ++c) s += std::exp(row[c] - m);
        for (int c = 0; c < cols; ++c) y[(size_t)r * cols + c] = (float)(std::exp(row[c] - m) / s);
    }
}
