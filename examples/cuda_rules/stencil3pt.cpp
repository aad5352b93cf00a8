// 1-D three-point stencil on the interior; the two ends of out are left as they are.
// transverify: shape in=n, out=n
void stencil3pt(int n, const float* in, float* out) {
    for (int i = 1; i < n - 1; ++i) out[i] = 0.25f * in[i - 1] + 0.5f * in[i] + 0.25f * in[i + 1];
}
