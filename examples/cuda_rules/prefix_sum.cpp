// Inclusive prefix sum: a loop-carried dependence, so it stays sequential.
// transverify: shape x=n, y=n
void prefix_sum(int n, const int* x, int* y) {
    int running = 0;
    for (int i = 0; i < n; ++i) {
        running += x[i];
        y[i] = running;
    }
}
