void vector_add(int n, const float* a, const float* b, float* c) {
#pragma omp parallel for
    for (int i = 0; i < n - 1; ++i) c[i] = a[i] + b[i];
}
