// Population variance: two passes (mean, then squared deviations).
double variance(int n, const double* x) {
    double total = 0.0;
    for (int i = 0; i < n; ++i) total += x[i];
    const double mean = total / n;
    double dev = 0.0;
    for (int i = 0; i < n; ++i) dev += (x[i] - mean) * (x[i] - mean);
    return dev / n;
}
