// f has (nx+2) x (ny+2) entries, column-major, with its first element at Fortran (0,0).
void halo_gradient(int nx, int ny, const double* f, double* gx, double* gy) {
    const int ld = nx + 2;
    auto F = [&](int i, int j) { return f[i + j * ld]; };  // Fortran indices, 0-based halo
    for (int j = 1; j <= ny; ++j) {
        for (int i = 1; i <= nx; ++i) {
            gx[(i - 1) + (j - 1) * nx] = 0.5 * (F(i + 1, j) - F(i - 1, j));
            gy[(i - 1) + (j - 1) * nx] = 0.5 * (F(i, j + 1) - F(i, j - 1));
        }
    }
}
