// Largest integer: one element per thread, butterfly (xor) shuffles per warp, atomicMax per warp.
// transverify: shape x=n
__global__ void warp_max_kernel(int n, const int* x, int* result) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    int v = i < n ? x[i] : -2147483647;
    for (int offset = 16; offset > 0; offset /= 2) v = max(v, __shfl_xor_sync(0xffffffffu, v, offset));
    if (threadIdx.x % 32 == 0) atomicMax(result, v);
}

int warp_max(int n, const int* x) {
    int *dx, *dr, r = -2147483647;
    cudaMalloc(&dx, n * sizeof(int));
    cudaMalloc(&dr, sizeof(int));
    cudaMemcpy(dx, x, n * sizeof(int), cudaMemcpyHostToDevice);
    cudaMemcpy(dr, &r, sizeof(int), cudaMemcpyHostToDevice);
    warp_max_kernel<<<(n + 127) / 128, 128>>>(n, dx, dr);
    cudaMemcpy(&r, dr, sizeof(int), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dr);
    return r;
}
