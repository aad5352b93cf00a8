// Float minimum: warp shuffles per warp, then a compare-and-swap loop on the result's bits.
// transverify: shape x=n
__device__ void atomic_min_float(float* addr, float v) {
    int* bits = (int*)addr;
    int old = *bits, assumed;
    do {
        assumed = old;
        old = atomicCAS(bits, assumed, __float_as_int(fminf(v, __int_as_float(assumed))));
    } while (assumed != old);
}

__global__ void min_kernel(const float* x, float* out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    float v = i < n ? x[i] : INFINITY;
    for (int m = 16; m > 0; m >>= 1) v = fminf(v, __shfl_xor_sync(0xffffffffu, v, m));
    if ((threadIdx.x & 31) == 0) atomic_min_float(out, v);
}

float min_value(const float* x, int n) {
    float *dx, *dout, result = INFINITY;
    cudaMalloc(&dx, n * sizeof(float)); cudaMalloc(&dout, sizeof(float));
    cudaMemcpy(dx, x, n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dout, &result, sizeof(float), cudaMemcpyHostToDevice);
    min_kernel<<<(n + 127) / 128, 128>>>(dx, dout, n);
    cudaMemcpy(&result, dout, sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dout);
    return result;
}
