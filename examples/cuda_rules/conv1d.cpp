// Valid 1-D convolution (correlation) of in (n) with w (m).
// transverify: shape in=n, w=m, out=n
void conv1d(int n, int m, const float* in, const float* w, float* out) {
    for (int i = 0; i < n - m + 1; ++i) {
        float acc = 0.0f;
        for (int k = 0; k < m; ++k) acc += in[i + k] * w[k];
        out[i] = acc;
    }
}
