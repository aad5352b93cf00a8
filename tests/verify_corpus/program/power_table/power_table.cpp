#include <cstdint>
#include <iostream>

int main() {
    std::int64_t sum2 = 0;
    std::int64_t sum3 = 0;
    for (int i = 1; i <= 6; ++i) {
        const std::int64_t cube = static_cast<std::int64_t>(i) * i * i * 1000000;
        std::cout << "  " << i << "  " << i * i << "  " << cube << '\n';
        sum2 += i * i;
        sum3 += cube;
    }
    std::cout << " sums " << sum2 << ' ' << sum3 << '\n';
    return 0;
}
