// integer(8) as long (64-bit on this platform) and the size as const int&.
long rolling_hash(const int& n, const long* keys) {
    long h = 0;
    for (int i = 0; i < n; ++i) {
        h = (h * 31L + keys[i]) % 1000000007L;
    }
    return h;
}
