// Sum of each column of a rows x cols matrix (column-wise reduction).
// transverify: shape A=rows*cols, s=cols
void colsum(int rows, int cols, const float* A, float* s) {
    for (int c = 0; c < cols; ++c) {
        float acc = 0.0f;
        for (int r = 0; r < rows; ++r) acc += A[r * cols + c];
        s[c] = acc;
    }
}
