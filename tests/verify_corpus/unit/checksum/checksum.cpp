#include <cstdint>

// Rolling hash in 64-bit arithmetic; % truncates like Fortran's mod.
int64_t rolling_hash(int n, const int64_t* keys) {
    const int64_t base = 31;
    const int64_t modulus = 1000000007;
    int64_t h = 0;
    for (int i = 0; i < n; ++i) {
        h = (h * base + keys[i]) % modulus;
    }
    return h;
}
