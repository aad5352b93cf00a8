// Jacobi sweeps over the interior of a grid whose sizes and sweep count are macros: the loop
// variable is declared before the loop, starts at 1 and runs while `s <= SWEEPS - 1`; each sweep
// averages a into b, then copies b's interior back into a (the border keeps its values).
#define ROWS 10
#define COLS 12
#define SWEEPS 4

// transverify: shape a=120, b=120
__global__ void average(const float* a, float* b) {
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    int r = blockIdx.y * blockDim.y + threadIdx.y;
    if (r > 0 && c > 0 && r < ROWS - 1 && c < COLS - 1) {
        b[r * COLS + c] = 0.2f * (a[r * COLS + c] + a[(r - 1) * COLS + c] + a[(r + 1) * COLS + c] +
                                  a[r * COLS + c - 1] + a[r * COLS + c + 1]);
    }
}

__global__ void copy_back(const float* b, float* a) {
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    int r = blockIdx.y * blockDim.y + threadIdx.y;
    if (r > 0 && c > 0 && r < ROWS - 1 && c < COLS - 1) a[r * COLS + c] = b[r * COLS + c];
}

void sweep(float* a, float* b) {
    float *da, *db;
    cudaMalloc(&da, 120 * sizeof(float)); cudaMalloc(&db, 120 * sizeof(float));
    cudaMemcpy(da, a, 120 * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(db, b, 120 * sizeof(float), cudaMemcpyHostToDevice);
    dim3 block(4, 4), grid((COLS + 3) / 4, (ROWS + 3) / 4);
    int s;
    for (s = 1; s <= SWEEPS - 1; ++s) {
        average<<<grid, block>>>(da, db);
        copy_back<<<grid, block>>>(db, da);
        cudaDeviceSynchronize();
    }
    cudaMemcpy(a, da, 120 * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(b, db, 120 * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(da); cudaFree(db);
}
