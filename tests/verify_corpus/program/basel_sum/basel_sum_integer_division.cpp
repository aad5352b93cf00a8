#include <cmath>
#include <cstdio>

// 1 / (k*k) in integer arithmetic: only the first term survives.
int main() {
    const int nterms = 1000;
    const double exact = std::acos(-1.0) * std::acos(-1.0) / 6.0;
    double s = 0.0;
    for (int k = 1; k <= nterms; ++k) {
        s += 1 / (k * k);
        if (k % 250 == 0) {
            std::printf("%12d %25.17E\n", k, s);
        }
    }
    std::printf(" error %25.17E\n", exact - s);
    return 0;
}
