#include <algorithm>
#include <cmath>

// Reads neighbours from unew while writing it: a Gauss-Seidel sweep, not Jacobi.
void jacobi_step(int nx, int ny, const double* u, double* unew, double& change) {
    auto at = [nx](int i, int j) { return i + j * nx; };
    std::copy(u, u + nx * ny, unew);
    change = 0.0;
    for (int j = 1; j < ny - 1; ++j) {
        for (int i = 1; i < nx - 1; ++i) {
            unew[at(i, j)] = 0.25 * (unew[at(i - 1, j)] + unew[at(i + 1, j)] + unew[at(i, j - 1)] + unew[at(i, j + 1)]);
            change = std::max(change, std::fabs(unew[at(i, j)] - u[at(i, j)]));
        }
    }
}
