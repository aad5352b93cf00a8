// How many elements exceed t.
int count_above(int n, float t, const float* x) {
    int count = 0;
    for (int i = 0; i < n; ++i) count += x[i] > t ? 1 : 0;
    return count;
}
