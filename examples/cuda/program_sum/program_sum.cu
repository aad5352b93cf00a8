#include <cstdio>
__global__ void halves(int n, double* out) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) out[i] = 0.5 * i;
}
int main() {
    const int n = 1000;
    double *d, h[n];
    cudaMalloc(&d, n * sizeof(double));
    halves<<<(n + 127) / 128, 128>>>(n, d);
    cudaMemcpy(h, d, sizeof h, cudaMemcpyDeviceToHost);
    double total = 0;
    for (int i = 0; i < n; ++i) total += h[i];
    std::printf("n = %d\ntotal = %.6f\n", n, total);
    cudaFree(d);
    return 0;
}
