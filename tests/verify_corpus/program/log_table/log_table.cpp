#include <cmath>
#include <cstdio>

// printf writes -inf where gfortran writes -Infinity: the same number.
int main() {
    const double amplitude[5] = {1.0e8, 1.0, 1.0e-3, 2.5e-7, 0.0};
    double peak = amplitude[0];
    for (int i = 0; i < 5; ++i) {
        const double db = 20.0 * std::log10(amplitude[i]);
        std::printf("%12d %25.17g %25.17g\n", i + 1, amplitude[i], db);
        if (amplitude[i] > peak) peak = amplitude[i];
    }
    std::printf(" peak %25.17g\n", peak);
    return 0;
}
