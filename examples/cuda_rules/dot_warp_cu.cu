// Dot product: grid-stride partials, warp shuffle reduction, one atomicAdd per warp.
__global__ void dot_kernel(int n, const float* a, const float* b, float* out) {
    float s = 0.0f;
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) s += a[i] * b[i];
    for (int offset = warpSize / 2; offset > 0; offset >>= 1) s += __shfl_down_sync(0xffffffffu, s, offset);
    if ((threadIdx.x & (warpSize - 1)) == 0) atomicAdd(out, s);
}

float dot_warp(int n, const float* a, const float* b) {
    float *da, *db, *dout, result = 0.0f;
    cudaMalloc(&da, n * sizeof(float));
    cudaMalloc(&db, n * sizeof(float));
    cudaMalloc(&dout, sizeof(float));
    cudaMemcpy(da, a, n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(db, b, n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dout, &result, sizeof(float), cudaMemcpyHostToDevice);
    dot_kernel<<<8, 128>>>(n, da, db, dout);
    cudaMemcpy(&result, dout, sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(da); cudaFree(db); cudaFree(dout);
    return result;
}
