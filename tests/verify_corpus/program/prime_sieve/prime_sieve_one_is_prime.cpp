#include <cmath>
#include <cstdio>
#include <vector>

// Forgets to strike out 1, so 1 is reported prime and the count is one too high.
int main() {
    const int limit = 200;
    std::vector<bool> is_prime(limit + 1, true);
    for (int i = 2; i <= static_cast<int>(std::sqrt(static_cast<float>(limit))); ++i) {
        if (!is_prime[i]) continue;
        for (int j = i * i; j <= limit; j += i) {
            is_prime[j] = false;
        }
    }
    for (int i = 1; i <= 12; ++i) {
        std::printf("%12d %c\n", i, is_prime[i] ? 'T' : 'F');
    }
    int nprimes = 0;
    for (int i = 1; i <= limit; ++i) {
        nprimes += is_prime[i] ? 1 : 0;
    }
    std::printf(" primes below %11d : %11d\n", limit, nprimes);
    return 0;
}
