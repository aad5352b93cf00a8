#include <cmath>
#include <cstdio>

namespace {
double f(double x) { return std::exp(-x * x); }
}  // namespace

int main() {
    std::printf("trapezoid rule, f(x) = exp(-x**2) on [0,2]\n");
    std::printf("%6s%16s\n", "n", "integral");
    int n = 4;
    for (int level = 1; level <= 5; ++level) {
        const double h = 2.0 / n;
        double total = 0.5 * (f(0.0) + f(2.0));
        for (int i = 1; i <= n - 1; ++i) {
            total += f(i * h);
        }
        std::printf("%6d%16.10f\n", n, h * total);
        n *= 2;
    }
    return 0;
}
