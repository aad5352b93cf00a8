// Reads the lane id with inline PTX: no CPU equivalent, refused.
__global__ void lane_ids(int n, int* out) {
    unsigned lane;
    asm volatile("mov.u32 %0, %%laneid;" : "=r"(lane));
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) out[i] = lane;
}

void lanes(int n, int* out) {
    int* d;
    cudaMalloc(&d, n * sizeof(int));
    lane_ids<<<(n + 31) / 32, 32>>>(n, d);
    cudaMemcpy(out, d, n * sizeof(int), cudaMemcpyDeviceToHost);
    cudaFree(d);
}
