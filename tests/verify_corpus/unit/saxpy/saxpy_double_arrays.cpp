// Promotes everything to double: breaks the calling convention (real is float).
void saxpy(int n, double a, const double* x, double* y) {
    for (int i = 0; i < n; ++i) {
        y[i] = a * x[i] + y[i];
    }
}
