void block_scan(int n, const int* x, int* y) {
    for (int start = 0; start < n; start += 256) {
        int acc = 0;
        for (int i = start; i < n && i < start + 256; ++i) { y[i] = acc; acc += x[i]; }
    }
}
