#include <cstdint>
#include <vector>
bool classify(int n, int m, int k, const long* big, std::vector<double>& a, bool* flags, int64_t& total, float* scale) {
    total = 0;
    bool any_big = false;
    for (int i = 0; i < n; ++i) {
        flags[i] = big[i] > k;
        if (flags[i]) any_big = true;
        total += (int)(big[i] * k);  // wrong: narrows each product to 32 bits
    }
    for (int j = 0; j < m; ++j)
        for (int i = 0; i < n; ++i) a[i + j * n] = a[i + j * n] * *scale + (j + 1);
    *scale *= 2;
    return any_big;
}
