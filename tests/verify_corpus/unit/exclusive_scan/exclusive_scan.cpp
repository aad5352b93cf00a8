// b[i] = a[0] + ... + a[i-1]; the Fortran bounds 0:n-1 map one to one.
void exclusive_scan(int n, const int* a, int* b) {
    b[0] = 0;
    for (int i = 1; i < n; ++i) {
        b[i] = b[i - 1] + a[i - 1];
    }
}
