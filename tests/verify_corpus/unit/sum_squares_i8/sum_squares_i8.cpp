#include <cstdint>

std::int64_t sum_squares(int n, const int* v) {
    std::int64_t total = 0;
    for (int i = 0; i < n; ++i) {
        total += static_cast<std::int64_t>(v[i]) * v[i];
    }
    return total;
}
