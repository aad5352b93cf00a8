// Reverses each block's slice of x into y through shared memory; the block barrier is
// written with cooperative groups, both as cg::sync(block) and as block.sync().
#include <cooperative_groups.h>
namespace cg = cooperative_groups;

#define BLOCK 64

__global__ void reverse_blocks(const float* x, float* y, int n) {
    cg::thread_block block = cg::this_thread_block();
    __shared__ float tile[BLOCK];
    int i = blockIdx.x * BLOCK + threadIdx.x;
    tile[threadIdx.x] = i < n ? x[i] : 0.0f;
    cg::sync(block);
    int j = blockIdx.x * BLOCK + (BLOCK - 1 - threadIdx.x);
    float v = tile[BLOCK - 1 - threadIdx.x];
    block.sync();
    tile[threadIdx.x] = __mul24(2, 1) * v;
    block.sync();
    if (j < n) y[j] = tile[threadIdx.x];
}

void reverse(const float* x, float* y, int n) {
    float *dx, *dy;
    cudaMalloc(&dx, n * sizeof(float)); cudaMalloc(&dy, n * sizeof(float));
    cudaMemcpy(dx, x, n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dy, y, n * sizeof(float), cudaMemcpyHostToDevice);
    reverse_blocks<<<(n + BLOCK - 1) / BLOCK, BLOCK>>>(dx, dy, n);
    cudaMemcpy(y, dy, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dy);
}
