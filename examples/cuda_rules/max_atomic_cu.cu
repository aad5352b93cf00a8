// Largest element of an integer array with atomicMax.
// transverify: shape x=n
__global__ void max_kernel(int n, const int* x, int* result) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) atomicMax(result, x[i]);
}

int max_atomic(int n, const int* x) {
    int *dx, *dr, r = -2147483647;
    cudaMalloc(&dx, n * sizeof(int));
    cudaMalloc(&dr, sizeof(int));
    cudaMemcpy(dx, x, n * sizeof(int), cudaMemcpyHostToDevice);
    cudaMemcpy(dr, &r, sizeof(int), cudaMemcpyHostToDevice);
    max_kernel<<<(n + 255) / 256, 256>>>(n, dx, dr);
    cudaMemcpy(&r, dr, sizeof(int), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dr);
    return r;
}
