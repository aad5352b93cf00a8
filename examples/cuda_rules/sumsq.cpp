// Squared Euclidean norm, accumulated in double.
double sumsq(int n, const double* x) {
    double s = 0.0;
    for (int i = 0; i < n; ++i) s = s + x[i] * x[i];
    return s;
}
