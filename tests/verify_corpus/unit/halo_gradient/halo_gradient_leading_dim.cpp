// Uses nx as the leading dimension of f, forgetting the two halo cells per column.
void halo_gradient(int nx, int ny, const double* f, double* gx, double* gy) {
    const int ld = nx;
    auto F = [&](int i, int j) { return f[i + j * ld]; };
    for (int j = 1; j <= ny; ++j) {
        for (int i = 1; i <= nx; ++i) {
            gx[(i - 1) + (j - 1) * nx] = 0.5 * (F(i + 1, j) - F(i - 1, j));
            gy[(i - 1) + (j - 1) * nx] = 0.5 * (F(i, j + 1) - F(i, j - 1));
        }
    }
}
