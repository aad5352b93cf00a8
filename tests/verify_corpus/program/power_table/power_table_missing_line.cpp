#include <cstdint>
#include <iostream>

// The closing line of sums was dropped in translation.
int main() {
    for (int i = 1; i <= 6; ++i) {
        const std::int64_t cube = static_cast<std::int64_t>(i) * i * i * 1000000;
        std::cout << "  " << i << "  " << i * i << "  " << cube << '\n';
    }
    return 0;
}
