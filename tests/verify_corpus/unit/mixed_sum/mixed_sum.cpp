// Accumulates single-precision samples in double, as the original does.
double sample_total(int n, const float* samples) {
    double total = 0.0;
    for (int i = 0; i < n; ++i) {
        const double s = static_cast<double>(samples[i]);
        total += s * s + 1.0 / 3.0;
    }
    return total;
}
