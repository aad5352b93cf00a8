// y = a*x + b*y (double precision)
void axpby(int n, double a, double b, const double* x, double* y) {
    for (int i = 0; i < n; i++) {
        y[i] = a * x[i] + b * y[i];
    }
}
