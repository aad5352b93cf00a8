// Per 32-element segment: inclusive prefix sums, and every element of the
// segment also gets the segment's total in `total` (a warp all-reduce).
void warp_scan(int n, const int* x, int* scan, int* total) {
    for (int start = 0; start < n; start += 32) {
        int end = start + 32 < n ? start + 32 : n, acc = 0;
        for (int i = start; i < end; ++i) { acc += x[i]; scan[i] = acc; }
        for (int i = start; i < end; ++i) total[i] = acc;
    }
}
