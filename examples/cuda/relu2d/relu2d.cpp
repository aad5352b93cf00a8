// y = max(x, 0) * scale over a rows x cols row-major matrix (double precision).
// transverify: shape x=rows*cols, y=rows*cols
void relu2d(int rows, int cols, double scale, const double* x, double* y) {
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) {
            double v = x[r * cols + c];
            y[r * cols + c] = (v > 0.0 ? v : 0.0) * scale;
        }
}
