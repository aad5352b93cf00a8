// Index of the first largest element (n >= 1).
// transverify: shape x=n
int argmax(int n, const float* x) {
    float best = x[0];
    int index = 0;
    for (int i = 1; i < n; ++i) {
        if (x[i] > best) {
            best = x[i];
            index = i;
        }
    }
    return index;
}
