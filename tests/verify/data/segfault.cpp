// Reads far outside its array (an index computed from garbage): a segmentation fault.
void saxpy(int n, float a, const float* x, float* y) {
    volatile long far = 1L << 40;
    for (int i = 0; i < n; ++i) y[i] = a * x[i + far] + y[i];
}
