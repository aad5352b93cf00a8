// 3-D seven-point average on the interior of an nz x ny x nx grid.
// transverify: shape a=nz*ny*nx, b=nz*ny*nx
void stencil3d(int nz, int ny, int nx, const float* a, float* b) {
    for (int k = 1; k < nz - 1; ++k)
        for (int j = 1; j < ny - 1; ++j)
            for (int i = 1; i < nx - 1; ++i) {
                int c = k * ny * nx + j * nx + i;
                b[c] = (a[c] + a[c - 1] + a[c + 1] + a[c - nx] + a[c + nx] + a[c - ny * nx] + a[c + ny * nx]) / 7.0f;
            }
}
