// Histogram of data[i] % nbins; hist is overwritten.
// transverify: value nbins=64
void histogram(int n, int nbins, const int* data, int* hist) {
    for (int b = 0; b < nbins; ++b) hist[b] = 0;
    for (int i = 0; i < n; ++i) hist[data[i] % nbins] += 1;
}
