// Column-major like Fortran: element (i, j), 0-based, lives at i + j*nx.
#include <vector>

void laplacian(int nx, int ny, double h, const std::vector<double>& u, std::vector<double>& lap) {
    for (int k = 0; k < nx * ny; ++k) lap[k] = 0.0;
    for (int j = 1; j < ny - 1; ++j) {
        for (int i = 1; i < nx - 1; ++i) {
            const int c = i + j * nx;
            lap[c] = (u[c - 1] + u[c + 1] + u[c - nx] + u[c + nx] - 4.0 * u[c]) / (h * h);
        }
    }
}
