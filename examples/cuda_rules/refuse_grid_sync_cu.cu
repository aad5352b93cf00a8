#include <cooperative_groups.h>
namespace cg = cooperative_groups;
// A grid-wide barrier from cooperative groups: refused.
__global__ void two_phase(int n, float* x) {
    cg::grid_group grid = cg::this_grid();
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) x[i] += 1.0f;
    grid.sync();
    if (i < n) x[i] *= 2.0f;
}

void phases(int n, float* x) {
    float* d;
    cudaMalloc(&d, n * sizeof(float));
    cudaMemcpy(d, x, n * sizeof(float), cudaMemcpyHostToDevice);
    two_phase<<<(n + 63) / 64, 64>>>(n, d);
    cudaMemcpy(x, d, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(d);
}
