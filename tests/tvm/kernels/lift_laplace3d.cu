// 3-D 7-point Laplacian on the interior, the boundary set to zero; a 3-D grid.
// transverify: shape u=nz*ny*nx, lap=nz*ny*nx
__global__ void laplace3d_kernel(int nz, int ny, int nx, const float* u, float* lap) {
    int x = blockIdx.x * blockDim.x + threadIdx.x;
    int y = blockIdx.y * blockDim.y + threadIdx.y;
    int z = blockIdx.z * blockDim.z + threadIdx.z;
    if (x >= nx || y >= ny || z >= nz) return;
    int i = (z * ny + y) * nx + x;
    float v = 0.0f;
    if (x > 0 && x < nx - 1 && y > 0 && y < ny - 1 && z > 0 && z < nz - 1)
        v = u[i - 1] + u[i + 1] + u[i - nx] + u[i + nx] + u[i - nx * ny] + u[i + nx * ny] - 6.0f * u[i];
    lap[i] = v;
}

void laplace3d(int nz, int ny, int nx, const float* u, float* lap) {
    size_t bytes = (size_t)nz * ny * nx * sizeof(float);
    float *du, *dl;
    cudaMalloc(&du, bytes); cudaMalloc(&dl, bytes);
    cudaMemcpy(du, u, bytes, cudaMemcpyHostToDevice);
    dim3 block(8, 8, 4), grid((nx + 7) / 8, (ny + 7) / 8, (nz + 3) / 4);
    laplace3d_kernel<<<grid, block>>>(nz, ny, nx, du, dl);
    cudaMemcpy(lap, dl, bytes, cudaMemcpyDeviceToHost);
    cudaFree(du); cudaFree(dl);
}
