// Integer division: the mean is truncated towards zero before it is stored.
void count_stats(int n, const int* counts, int& total, double& mean) {
    total = 0;
    for (int i = 0; i < n; ++i) {
        total += counts[i];
    }
    mean = total / n;
}
