// The literals keep their single-precision values, exactly as the Fortran has them.
void damp_state(int n, double* u, double dt) {
    const double decay = 1.0 - static_cast<double>(0.1f) * dt;
    for (int i = 0; i < n; ++i) {
        u[i] = decay * u[i] + static_cast<double>(0.3f) * dt;
    }
}
