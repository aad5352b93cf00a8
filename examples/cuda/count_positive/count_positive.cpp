int count_positive(int n, const float* x) {
    int count = 0;
    for (int i = 0; i < n; ++i) count += x[i] > 0.0f;
    return count;
}
