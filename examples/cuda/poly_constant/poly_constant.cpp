// y = 1 + 0.5 x - 0.25 x^2 + 0.125 x^3 (Horner).
void poly(int n, const float* x, float* y) {
    const float c[4] = {1.0f, 0.5f, -0.25f, 0.125f};
    for (int i = 0; i < n; ++i) y[i] = ((c[3] * x[i] + c[2]) * x[i] + c[1]) * x[i] + c[0];
}
