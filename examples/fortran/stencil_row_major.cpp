// Wrong: indexes the grid row-major (i*ny + j), the classic Fortran->C++ slip.
void laplacian(int nx, int ny, double h, const double* u, double* lap) {
    for (int k = 0; k < nx * ny; ++k) lap[k] = 0.0;
    for (int j = 1; j < ny - 1; ++j) {
        for (int i = 1; i < nx - 1; ++i) {
            const int c = i * ny + j;
            lap[c] = (u[c - ny] + u[c + ny] + u[c - 1] + u[c + 1] - 4.0 * u[c]) / (h * h);
        }
    }
}
