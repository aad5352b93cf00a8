#include <algorithm>
#include <cmath>

// One Jacobi sweep; u and unew are nx-by-ny, column-major.
void jacobi_step(int nx, int ny, const double* u, double* unew, double& change) {
    auto at = [nx](int i, int j) { return i + j * nx; };  // zero-based (i, j)
    std::copy(u, u + nx * ny, unew);
    change = 0.0;
    for (int j = 1; j < ny - 1; ++j) {
        for (int i = 1; i < nx - 1; ++i) {
            unew[at(i, j)] = 0.25 * (u[at(i - 1, j)] + u[at(i + 1, j)] + u[at(i, j - 1)] + u[at(i, j + 1)]);
            change = std::max(change, std::fabs(unew[at(i, j)] - u[at(i, j)]));
        }
    }
}
