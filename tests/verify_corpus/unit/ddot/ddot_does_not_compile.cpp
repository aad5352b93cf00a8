#include <vector>

// Loop variable misspelt: g++ rejects it.
double ddot(int n, const std::vector<double>& x, const std::vector<double>& y) {
    double sum = 0.0;
    for (int i = 0; i < n; ++i) {
        sum += x[i] * y[j];
    }
    return sum;
}
