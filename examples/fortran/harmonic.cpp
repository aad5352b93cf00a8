#include <cstdio>

int main() {
    double s = 0.0;
    for (int k = 1; k <= 1000; ++k) {
        s += 1.0 / k;
        if (k % 250 == 0) std::printf("H( %d ) = %.15f\n", k, s);
    }
    return 0;
}
