#include <algorithm>
struct Particle { double px, py; double m; int ident; };
void advance(int n, Particle* p, double dt, Particle& total) {
    total = Particle{0, 0, 0, 0};
    for (int i = 0; i < n; ++i) {
        p[i].px += dt * p[i].py;
        p[i].ident += 1;
        total.m += p[i].m;
        total.px += p[i].px * p[i].m;
        total.ident = std::max(total.ident, p[i].ident);
    }
}
