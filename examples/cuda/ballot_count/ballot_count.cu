// Warp vote: __ballot_sync + __popc, one atomic per warp.
__global__ void ballot_kernel(int n, float threshold, const float* x, int* count) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    unsigned votes = __ballot_sync(0xffffffffu, i < n && x[i] > threshold);
    if (threadIdx.x % warpSize == 0) atomicAdd(count, __popc(votes));
}

int count_above(int n, float threshold, const float* x) {
    float* dx;
    int* dcount;
    int count = 0;
    cudaMalloc(&dx, n * sizeof(float));
    cudaMalloc(&dcount, sizeof(int));
    cudaMemcpy(dx, x, n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemset(dcount, 0, sizeof(int));
    ballot_kernel<<<(n + 255) / 256, 256>>>(n, threshold, dx, dcount);
    cudaMemcpy(&count, dcount, sizeof(int), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dcount);
    return count;
}
