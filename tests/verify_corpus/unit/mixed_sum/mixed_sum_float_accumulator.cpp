// Accumulator narrowed to float: loses about seven digits the result promises.
double sample_total(int n, const float* samples) {
    float total = 0.0f;
    for (int i = 0; i < n; ++i) {
        total += samples[i] * samples[i] + 1.0f / 3.0f;
    }
    return total;
}
