// Writes the literals as double constants: looks right, differs from the source
// by about 1e-8 relative, far above the float64 tolerance.
void damp_state(int n, double* u, double dt) {
    const double decay = 1.0 - 0.1 * dt;
    for (int i = 0; i < n; ++i) {
        u[i] = decay * u[i] + 0.3 * dt;
    }
}
