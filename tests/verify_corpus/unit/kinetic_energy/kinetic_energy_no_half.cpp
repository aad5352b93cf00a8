namespace {
constexpr double charge_over_mass = -1.75882;
}

void push(int np, double dt, double efield, double* x, double* v) {
    for (int p = 0; p < np; ++p) {
        v[p] += charge_over_mass * efield * dt;
        x[p] += v[p] * dt;
    }
}

// Integer division slip: 1/2 is zero in C++, so the energy is always zero.
double kinetic_energy(int np, const double* v) {
    double sum = 0.0;
    for (int p = 0; p < np; ++p) {
        sum += v[p] * v[p];
    }
    return 1 / 2 * sum;
}
