// One explicit Euler step of independent particles under gravity, bouncing off the floor.
// transverify: shape px=n, py=n, vx=n, vy=n
void particles(int n, float dt, float* px, float* py, float* vx, float* vy) {
    for (int i = 0; i < n; ++i) {
        vy[i] -= 9.81f * dt;
        px[i] += vx[i] * dt;
        py[i] += vy[i] * dt;
        if (py[i] < 0.0f) {
            py[i] = -py[i];
            vy[i] = -vy[i];
        }
    }
}
