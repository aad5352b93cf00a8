// Number of elements above the threshold.
int count_above(int n, float threshold, const float* x) {
    int c = 0;
    for (int i = 0; i < n; ++i)
        if (x[i] > threshold) ++c;
    return c;
}
