// Scale every stride-th element.
// transverify: shape x=n*stride
// transverify: value stride=3
void strided_scale(int n, int stride, float a, float* x) {
    for (int i = 0; i < n; ++i) x[i * stride] *= a;
}
