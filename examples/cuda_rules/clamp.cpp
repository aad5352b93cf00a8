// Clamp to [lo, hi]; only out-of-range elements are written.
void clamp(int n, float lo, float hi, float* x) {
    for (int i = 0; i < n; ++i) {
        if (x[i] < lo) x[i] = lo;
        else if (x[i] > hi) x[i] = hi;
    }
}
