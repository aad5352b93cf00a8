// Translated with the loop bound carried over too literally: the last element is never updated.
void saxpy(int n, float a, const float* x, float* y) {
    for (int i = 0; i < n - 1; ++i) {
        y[i] = a * x[i] + y[i];
    }
}
