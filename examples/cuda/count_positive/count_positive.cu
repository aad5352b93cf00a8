__global__ void count_kernel(int n, const float* x, int* count) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n && x[i] > 0.0f) atomicAdd(count, 1);
}

int count_positive(int n, const float* x) {
    float* dx;
    int *dcount, count = 0;
    cudaMalloc(&dx, n * sizeof(float));
    cudaMalloc(&dcount, sizeof(int));
    cudaMemcpy(dx, x, n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dcount, &count, sizeof(int), cudaMemcpyHostToDevice);
    count_kernel<<<(n + 127) / 128, 128>>>(n, dx, dcount);
    cudaMemcpy(&count, dcount, sizeof(int), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dcount);
    return count;
}
