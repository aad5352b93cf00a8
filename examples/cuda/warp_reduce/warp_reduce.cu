// Warp-shuffle reduction: shuffles within warps, one shared slot per warp.
__inline__ __device__ float warp_sum(float v) {
    for (int offset = warpSize / 2; offset > 0; offset >>= 1) v += __shfl_down_sync(0xffffffffu, v, offset);
    return v;
}

__global__ void reduce_kernel(int n, const float* x, float* out) {
    __shared__ float partial[32];
    float v = 0.0f;
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) v += x[i];
    v = warp_sum(v);
    int lane = threadIdx.x % warpSize, warp = threadIdx.x / warpSize;
    if (lane == 0) partial[warp] = v;
    __syncthreads();
    if (warp == 0) {
        v = lane < blockDim.x / warpSize ? partial[lane] : 0.0f;
        v = warp_sum(v);
        if (lane == 0) atomicAdd(out, v);
    }
}

float warp_reduce(int n, const float* x) {
    float *dx, *dout, result;
    cudaMalloc(&dx, n * sizeof(float));
    cudaMalloc(&dout, sizeof(float));
    cudaMemcpy(dx, x, n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemset(dout, 0, sizeof(float));
    reduce_kernel<<<8, 256>>>(n, dx, dout);
    cudaMemcpy(&result, dout, sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dout);
    return result;
}
