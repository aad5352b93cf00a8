// 2-D five-point Laplacian on the interior of an ny x nx grid.
// transverify: shape u=ny*nx, lap=ny*nx
void stencil2d(int ny, int nx, const double* u, double* lap) {
    for (int j = 1; j < ny - 1; ++j)
        for (int i = 1; i < nx - 1; ++i)
            lap[j * nx + i] = u[j * nx + i - 1] + u[j * nx + i + 1] + u[(j - 1) * nx + i] + u[(j + 1) * nx + i]
                              - 4.0 * u[j * nx + i];
}
