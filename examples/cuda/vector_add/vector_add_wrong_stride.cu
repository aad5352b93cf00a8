// Grid-stride loop: a fixed grid covers any n.
__global__ void add(int n, const float* a, const float* b, float* c) {
    for (int i = threadIdx.x; i < n; i += blockDim.x * gridDim.x)
        c[i] = a[i] + b[i];
}

void vector_add(int n, const float* a, const float* b, float* c) {
    float *da, *db, *dc;
    size_t bytes = n * sizeof(float);
    cudaMalloc(&da, bytes); cudaMalloc(&db, bytes); cudaMalloc(&dc, bytes);
    cudaMemcpy(da, a, bytes, cudaMemcpyHostToDevice);
    cudaMemcpy(db, b, bytes, cudaMemcpyHostToDevice);
    add<<<8, 128>>>(n, da, db, dc);
    cudaMemcpy(c, dc, bytes, cudaMemcpyDeviceToHost);
    cudaFree(da); cudaFree(db); cudaFree(dc);
}
