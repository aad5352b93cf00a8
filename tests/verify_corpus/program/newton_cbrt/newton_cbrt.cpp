#include <cmath>
#include <cstdio>

int main() {
    const float targets[4] = {2.0f, 10.0f, 0.5f, 1000.0f};
    for (float target : targets) {
        float x = 1.0f;
        int iters = 0;
        while (iters < 50) {
            const float dx = (x * x * x - target) / (3.0f * x * x);
            x -= dx;
            ++iters;
            if (std::fabs(dx) <= 1.0e-6f * std::fabs(x)) break;
        }
        std::printf("%16.9g %16.9g %11d\n", target, x, iters);
    }
    return 0;
}
