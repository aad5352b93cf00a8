// Computes the inclusive scan instead: every element is off by one position.
void exclusive_scan(int n, const int* a, int* b) {
    int running = 0;
    for (int i = 0; i < n; ++i) {
        running += a[i];
        b[i] = running;
    }
}
