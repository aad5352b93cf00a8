// A 3-D grid with conditional neighbour sums (if without else on a local).
// transverify: shape u=nz*ny*nx, v=nz*ny*nx
__global__ void k(int nz, int ny, int nx, const double* u, double* v) {
    int x = blockIdx.x * blockDim.x + threadIdx.x;
    int y = blockIdx.y * blockDim.y + threadIdx.y;
    int z = blockIdx.z * blockDim.z + threadIdx.z;
    if (x < nx && y < ny && z < nz) {
        int c = (z * ny + y) * nx + x;
        double s = u[c];
        if (x > 0) s += u[c - 1];
        if (z + 1 < nz) s += u[c + nx * ny];
        v[c] = 0.5 * s;
    }
}
void box3d(int nz, int ny, int nx, const double* u, double* v) {
    double *du, *dv; size_t bytes = (size_t)nz * ny * nx * sizeof(double);
    cudaMalloc(&du, bytes); cudaMalloc(&dv, bytes);
    cudaMemcpy(du, u, bytes, cudaMemcpyHostToDevice);
    dim3 b(8, 4, 4), g((nx + 7) / 8, (ny + 3) / 4, (nz + 3) / 4);
    k<<<g, b>>>(nz, ny, nx, du, dv);
    cudaMemcpy(v, dv, bytes, cudaMemcpyDeviceToHost);
}
