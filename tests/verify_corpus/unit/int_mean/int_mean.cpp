// Total and (untruncated) mean of integer counts.
void count_stats(int n, const int* counts, int& total, double& mean) {
    total = 0;
    for (int i = 0; i < n; ++i) {
        total += counts[i];
    }
    mean = static_cast<double>(total) / static_cast<double>(n);
}
