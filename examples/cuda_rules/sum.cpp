// Sum of n floats.
float sum(int n, const float* x) {
    float s = 0.0f;
    for (int i = 0; i < n; ++i) s += x[i];
    return s;
}
