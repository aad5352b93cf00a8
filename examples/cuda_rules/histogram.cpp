// Histogram of values into nbins bins.
// transverify: shape data=n, hist=nbins
void histogram(int n, int nbins, const int* data, int* hist) {
    for (int b = 0; b < nbins; ++b) hist[b] = 0;
    for (int i = 0; i < n; ++i) hist[data[i] % nbins] += 1;
}
