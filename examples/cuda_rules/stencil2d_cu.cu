// 2-D five-point Laplacian on the interior, 2-D grid of 16x16 blocks.
// transverify: shape u=ny*nx, lap=ny*nx
__global__ void laplacian(int ny, int nx, const double* u, double* lap) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    int j = blockIdx.y * blockDim.y + threadIdx.y;
    if (i > 0 && j > 0 && i < nx - 1 && j < ny - 1)
        lap[j * nx + i] = u[j * nx + i - 1] + u[j * nx + i + 1] + u[(j - 1) * nx + i] + u[(j + 1) * nx + i]
                          - 4.0 * u[j * nx + i];
}

void stencil2d(int ny, int nx, const double* u, double* lap) {
    size_t bytes = (size_t)ny * nx * sizeof(double);
    double *du, *dl;
    cudaMalloc(&du, bytes);
    cudaMalloc(&dl, bytes);
    cudaMemcpy(du, u, bytes, cudaMemcpyHostToDevice);
    cudaMemcpy(dl, lap, bytes, cudaMemcpyHostToDevice);
    dim3 block(16, 16), grid((nx + 15) / 16, (ny + 15) / 16);
    laplacian<<<grid, block>>>(ny, nx, du, dl);
    cudaMemcpy(lap, dl, bytes, cudaMemcpyDeviceToHost);
    cudaFree(du);
    cudaFree(dl);
}
