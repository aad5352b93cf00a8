// Comparison turned around: marks the samples below the level.
void threshold_mask(int n, double* x, double level, bool clip, bool* mask, int* nabove) {
    *nabove = 0;
    for (int i = 0; i < n; ++i) {
        mask[i] = x[i] < level;
        if (mask[i]) {
            *nabove += 1;
            if (clip) {
                x[i] = level;
            }
        }
    }
}
