#include <algorithm>
#include <vector>

// Counts are never reset: works only if the caller passes zeros.
void histogram(int n, const std::vector<int>& samples, int nbins, std::vector<int>& counts) {
    for (int i = 0; i < n; ++i) {
        const int bin = std::min(std::max(samples[i], 1), nbins);
        counts[bin - 1] += 1;
    }
}
