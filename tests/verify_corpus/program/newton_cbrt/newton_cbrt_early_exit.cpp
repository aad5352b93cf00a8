#include <cmath>
#include <cstdio>

// Tests convergence on the residual before updating, with a loose tolerance:
// stops too early and reports a different iteration count.
int main() {
    const float targets[4] = {2.0f, 10.0f, 0.5f, 1000.0f};
    for (float target : targets) {
        float x = 1.0f;
        int iters = 0;
        while (iters < 50) {
            const float dx = (x * x * x - target) / (3.0f * x * x);
            if (std::fabs(dx) <= 1.0e-3f * std::fabs(x)) break;
            x -= dx;
            ++iters;
        }
        std::printf("%16.9g %16.9g %11d\n", target, x, iters);
    }
    return 0;
}
