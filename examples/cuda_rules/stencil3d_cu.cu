// 3-D seven-point average on the interior: a 3-D grid of 8x8x4 blocks.
// transverify: shape a=nz*ny*nx, b=nz*ny*nx
__global__ void average7(int nz, int ny, int nx, const float* a, float* b) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    int j = blockIdx.y * blockDim.y + threadIdx.y;
    int k = blockIdx.z * blockDim.z + threadIdx.z;
    if (i < 1 || j < 1 || k < 1 || i >= nx - 1 || j >= ny - 1 || k >= nz - 1) return;
    int c = (k * ny + j) * nx + i;
    b[c] = (a[c] + a[c - 1] + a[c + 1] + a[c - nx] + a[c + nx] + a[c - ny * nx] + a[c + ny * nx]) / 7.0f;
}

void stencil3d(int nz, int ny, int nx, const float* a, float* b) {
    size_t bytes = (size_t)nz * ny * nx * sizeof(float);
    float *da, *db;
    cudaMalloc(&da, bytes);
    cudaMalloc(&db, bytes);
    cudaMemcpy(da, a, bytes, cudaMemcpyHostToDevice);
    cudaMemcpy(db, b, bytes, cudaMemcpyHostToDevice);
    dim3 block(8, 8, 4);
    dim3 grid((nx + 7) / 8, (ny + 7) / 8, (nz + 3) / 4);
    average7<<<grid, block>>>(nz, ny, nx, da, db);
    cudaMemcpy(b, db, bytes, cudaMemcpyDeviceToHost);
    cudaFree(da);
    cudaFree(db);
}
