#include <cmath>
#include <cstdio>

int main() {
    const int nterms = 2000000;
    double s = 0.0;
#pragma omp parallel for reduction(+ : s)
    for (int k = 0; k < nterms; ++k) {
        const double sign = (k % 2 == 0) ? 1.0 : -1.0;
        s += sign / (2 * k + 1);
    }
    const double pi_est = 4.0 * s;
    std::printf("pi estimate %14.6E\n", pi_est);
    std::printf("error       %10.2E\n", std::fabs(pi_est - std::acos(-1.0)));
    return 0;
}
