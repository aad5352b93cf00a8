#include <cstdio>
int main() {
    const int n = 1000;
    double total = 0;
    for (int i = 0; i < n; ++i) total += 0.5 * i;
    std::printf("n = %d\ntotal = %.6f\n", n, total);
    return 0;
}
