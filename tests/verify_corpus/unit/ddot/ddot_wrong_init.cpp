#include <vector>

// Accumulator seeded with the first product, then the loop adds it again.
double ddot(int n, const std::vector<double>& x, const std::vector<double>& y) {
    double sum = x[0] * y[0];
    for (int i = 0; i < n; ++i) {
        sum += x[i] * y[i];
    }
    return sum;
}
