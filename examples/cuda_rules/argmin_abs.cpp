#include <cmath>
// Index of the first element of smallest magnitude, in double precision.
// transverify: shape x=n
int argmin_abs(int n, const double* x) {
    double smallest = INFINITY;
    int where = -1;
    for (int i = 0; i < n; ++i)
        if (std::fabs(x[i]) < smallest) {
            smallest = std::fabs(x[i]);
            where = i;
        }
    return where;
}
