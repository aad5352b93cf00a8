// C = A + B for rows x cols matrices.
// transverify: shape A=rows*cols, B=rows*cols, C=rows*cols
void matadd(int rows, int cols, const float* A, const float* B, float* C) {
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) C[r * cols + c] = A[r * cols + c] + B[r * cols + c];
}
