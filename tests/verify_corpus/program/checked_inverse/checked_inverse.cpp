#include <cmath>
#include <cstdio>
#include <cstdlib>

// error stop: message on stderr, exit status 1.
int main() {
    for (int trial = 1; trial <= 2; ++trial) {
        // column-major fill, as reshape does
        const double a11 = 4.0, a21 = 2.0, a12 = 6.0, a22 = 3.0 + (2 - trial) * 1.0;
        const double det = a11 * a22 - a12 * a21;
        std::printf(" trial %d det %.17g\n", trial, det);
        if (std::fabs(det) < 1.0e-12) {
            std::fprintf(stderr, "ERROR STOP singular matrix\n");
            return 1;
        }
        std::printf(" %.17g %.17g\n", a22 / det, -a12 / det);
        std::printf(" %.17g %.17g\n", -a21 / det, a11 / det);
    }
    return 0;
}
