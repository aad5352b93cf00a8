#include <vector>

double weighted_mean(const std::vector<double>& values, const std::vector<double>& weights) {
    double num = 0.0;
    double den = 0.0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        num += values[i] * weights[i];
        den += weights[i];
    }
    return num / den;
}
