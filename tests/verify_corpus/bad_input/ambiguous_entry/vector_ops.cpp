void vscale(int n, double alpha, double* x) {
    for (int i = 0; i < n; ++i) {
        x[i] *= alpha;
    }
}

double vsum(int n, const double* x) {
    double s = 0.0;
    for (int i = 0; i < n; ++i) {
        s += x[i];
    }
    return s;
}
