// Hash state kept in 32-bit int: h * 31 overflows once h exceeds about 69 million.
long long rolling_hash(int n, const long long* keys) {
    const int base = 31;
    const int modulus = 1000000007;
    int h = 0;
    for (int i = 0; i < n; ++i) {
        h = static_cast<int>((h * base + keys[i]) % modulus);
    }
    return h;
}
