// Without the temporary, y is computed from the already rotated x.
void rotate_pair(double& x, double& y, double c, double s) {
    x = c * x + s * y;
    y = c * y - s * x;
}
