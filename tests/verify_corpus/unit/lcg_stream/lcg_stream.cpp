#include <cstdint>

// `value` argument: a private copy the routine may modify.
void lcg_stream(int n, int nskip, std::int64_t& state, double* x) {
    const std::int64_t a = 16807;
    const std::int64_t m = 2147483647;
    if (nskip > 1000) nskip = 1000;
    state %= m;
    if (state < 0) state += m;  // Fortran modulo takes the sign of m
    if (state == 0) state = 1;
    for (; nskip > 0; --nskip) {
        state = (a * state) % m;
    }
    for (int i = 0; i < n; ++i) {
        state = (a * state) % m;
        x[i] = static_cast<double>(state) / static_cast<double>(m);
    }
}
