// Smallest element of an integer array.
int minval(int n, const int* x) {
    int m = 2147483647;
    for (int i = 0; i < n; ++i)
        if (x[i] < m) m = x[i];
    return m;
}
