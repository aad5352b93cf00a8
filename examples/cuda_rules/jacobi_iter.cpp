// iters sweeps of 1-D Jacobi smoothing: each sweep reads u, writes tmp, copies back.
// transverify: shape u=n, tmp=n
// transverify: value iters=4
void jacobi_iter(int n, int iters, float* u, float* tmp) {
    for (int it = 0; it < iters; ++it) {
        for (int i = 1; i < n - 1; ++i) tmp[i] = 0.5f * (u[i - 1] + u[i + 1]);
        for (int i = 1; i < n - 1; ++i) u[i] = tmp[i];
    }
}
