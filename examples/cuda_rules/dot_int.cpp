// Integer dot product in 64 bits.
long long dot_int(int n, const int* a, const int* b) {
    long long s = 0;
    for (int i = 0; i < n; ++i) s += (long long)a[i] * b[i];
    return s;
}
