// Walks the coefficients in the wrong order: evaluates the reversed polynomial.
void poly_eval(int n, const double* c, int npts, const double* t, double* p) {
    for (int k = 0; k < npts; ++k) {
        double acc = c[0];
        for (int i = 1; i < n; ++i) {
            acc = acc * t[k] + c[i];
        }
        p[k] = acc;
    }
}
