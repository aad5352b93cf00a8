#include <cstdint>

// The square is formed in 32-bit int before widening: wrong as soon as |v| > 46340.
std::int64_t sum_squares(int n, const int* v) {
    std::int64_t total = 0;
    for (int i = 0; i < n; ++i) {
        total += v[i] * v[i];
    }
    return total;
}
