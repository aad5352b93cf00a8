#include <cmath>
#include <cstdio>

// `stop 3` becomes an exit status of 3.
int main() {
    const int n = 6;
    double lower[n], diag[n], upper[n];
    for (int i = 0; i < n; ++i) {
        lower[i] = -1.0;
        upper[i] = -1.0;
        diag[i] = 2.5 - 0.25 * (i + 1);
    }
    lower[0] = 0.0;
    upper[n - 1] = 0.0;

    int bad = 0;
    for (int i = 0; i < n; ++i) {
        std::printf("row%2d margin%7.3f\n", i + 1, std::fabs(diag[i]) - std::fabs(lower[i]) - std::fabs(upper[i]));
        if (std::fabs(diag[i]) <= std::fabs(lower[i]) + std::fabs(upper[i])) {
            ++bad;
        }
    }
    if (bad > 0) {
        std::printf(" rows failing: %d\n", bad);
        return 3;
    }
    std::printf(" ok\n");
    return 0;
}
