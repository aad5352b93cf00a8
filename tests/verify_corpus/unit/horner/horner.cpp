// Horner's rule, highest coefficient first.
void poly_eval(int n, const double* c, int npts, const double* t, double* p) {
    for (int k = 0; k < npts; ++k) {
        double acc = c[n - 1];
        for (int i = n - 2; i >= 0; --i) {
            acc = acc * t[k] + c[i];
        }
        p[k] = acc;
    }
}
