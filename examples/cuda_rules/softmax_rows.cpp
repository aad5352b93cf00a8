#include <cmath>
// Numerically stable softmax of each row of a rows x cols matrix.
// transverify: shape x=rows*cols, y=rows*cols
void softmax_rows(int rows, int cols, const double* x, double* y) {
    for (int r = 0; r < rows; ++r) {
        double m = x[r * cols];
        for (int c = 1; c < cols; ++c) m = std::fmax(m, x[r * cols + c]);
        double s = 0.0;
        for (int c = 0; c < cols; ++c) s += std::exp(x[r * cols + c] - m);
        for (int c = 0; c < cols; ++c) y[r * cols + c] = std::exp(x[r * cols + c] - m) / s;
    }
}
