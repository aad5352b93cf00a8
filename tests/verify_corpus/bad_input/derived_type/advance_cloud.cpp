struct particle {
    double x;
    double v;
};

void advance_cloud(int np, double dt, particle* cloud) {
    for (int p = 0; p < np; ++p) {
        cloud[p].x += dt * cloud[p].v;
    }
}
