// A warp-lane index elementwise: `lane = i & 31` picks a per-lane scale, `warp = i >> 5` a
// per-warp bias over (n + 31) >> 5 warps; the store at (warp << 5) + lane is the thread's index.
// transverify: shape x=n, y=n, scale=32, bias=(n+31)/32
__global__ void lanes(int n, const float* x, const float* scale, const float* bias, float* y) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        int lane = i & 31;
        int warp = i >> 5;
        y[(warp << 5) + lane] = x[i] * scale[lane] + bias[warp];
    }
}

void lane_scale(int n, const float* x, const float* scale, const float* bias, float* y) {
    int warps = (n + 31) >> 5;
    float *dx, *ds, *db, *dy;
    cudaMalloc(&dx, n * sizeof(float)); cudaMalloc(&ds, 32 * sizeof(float));
    cudaMalloc(&db, warps * sizeof(float)); cudaMalloc(&dy, n * sizeof(float));
    cudaMemcpy(dx, x, n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(ds, scale, 32 * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(db, bias, warps * sizeof(float), cudaMemcpyHostToDevice);
    lanes<<<(n + 127) / 128, 128>>>(n, dx, ds, db, dy);
    cudaMemcpy(y, dy, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(ds); cudaFree(db); cudaFree(dy);
}
