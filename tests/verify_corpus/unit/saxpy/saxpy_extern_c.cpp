// The same kernel with C linkage and const by-value scalars: both allowed by the convention.
extern "C" void saxpy(const int n, const float a, const float* x, float* y) {
    for (int i = 0; i < n; ++i) {
        y[i] += a * x[i];
    }
}
