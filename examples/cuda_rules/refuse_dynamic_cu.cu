// A kernel that launches a kernel (dynamic parallelism): refused.
__global__ void child(int n, float* x) {
    int i = threadIdx.x;
    if (i < n) x[i] *= 2.0f;
}

__global__ void parent(int n, float* x) {
    if (threadIdx.x == 0) child<<<1, 32>>>(n, x);
}

void twice(int n, float* x) {
    float* d;
    cudaMalloc(&d, n * sizeof(float));
    cudaMemcpy(d, x, n * sizeof(float), cudaMemcpyHostToDevice);
    parent<<<1, 1>>>(n, d);
    cudaMemcpy(x, d, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(d);
}
