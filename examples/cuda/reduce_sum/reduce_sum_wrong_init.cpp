float reduce_sum(int n, const float* x) {
    double s = x[0];
    for (int i = 0; i < n; ++i) s += x[i];
    return (float)s;
}
