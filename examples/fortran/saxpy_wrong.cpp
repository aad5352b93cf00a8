// A plausible wrong translation: the loop keeps Fortran's 1-based bound and skips y[0].
void saxpy(int n, float a, const float* x, float* y) {
    for (int i = 1; i < n; ++i) {
        y[i] = a * x[i] + y[i];
    }
}
