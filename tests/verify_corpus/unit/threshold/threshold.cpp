// Logical arrays are bool*; the logical scalar comes by value.
void threshold_mask(int n, double* x, double level, bool clip, bool* mask, int* nabove) {
    *nabove = 0;
    for (int i = 0; i < n; ++i) {
        mask[i] = x[i] > level;
        if (mask[i]) {
            *nabove += 1;
            if (clip) {
                x[i] = level;
            }
        }
    }
}
