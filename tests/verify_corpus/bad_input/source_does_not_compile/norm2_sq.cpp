double norm2_sq(int n, const double* x) {
    double acc = 0.0;
    for (int i = 0; i < n; ++i) {
        acc += x[i] * x[i];
    }
    return acc;
}
