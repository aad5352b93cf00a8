// Arguments without intent: x and y are assigned, so by reference; c and s are never
// assigned, so by value.
void rotate_pair(double& x, double& y, double c, double s) {
    const double t = c * x + s * y;
    y = c * y - s * x;
    x = t;
}
