// Out scalars through pointers instead of references.
void count_stats(int n, const int* counts, int* total, double* mean) {
    int sum = 0;
    for (int i = 0; i < n; ++i) {
        sum += counts[i];
    }
    *total = sum;
    *mean = static_cast<double>(sum) / n;
}
