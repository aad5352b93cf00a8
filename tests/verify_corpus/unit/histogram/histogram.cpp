#include <algorithm>
#include <vector>

// Counts samples per bin (1-based bin numbers in the data), clamping outliers.
void histogram(int n, const std::vector<int>& samples, int nbins, std::vector<int>& counts) {
    std::fill(counts.begin(), counts.begin() + nbins, 0);
    for (int i = 0; i < n; ++i) {
        const int bin = std::min(std::max(samples[i], 1), nbins);
        counts[bin - 1] += 1;
    }
}
