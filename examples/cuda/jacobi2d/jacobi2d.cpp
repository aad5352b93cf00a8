// One Jacobi step on the interior of an ny x nx grid; the border is copied.
// transverify: shape u=ny*nx, v=ny*nx
void jacobi2d(int ny, int nx, const float* u, float* v) {
    for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i) {
            int k = j * nx + i;
            if (j == 0 || i == 0 || j == ny - 1 || i == nx - 1) v[k] = u[k];
            else v[k] = 0.25f * (u[k - 1] + u[k + 1] + u[k - nx] + u[k + nx]);
        }
}
