// Warp-level scan with __shfl_up_sync, all-reduce with a __shfl_xor_sync
// butterfly, broadcast with __shfl_sync; one warp per 32-element segment.
// transverify: shape x=n, scan=n, total=n
__global__ void warp_scan_kernel(int n, const int* x, int* scan, int* total) {
    int lane = threadIdx.x % 32;
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    int v = i < n ? x[i] : 0;
    for (int d = 1; d < 32; d <<= 1) {
        int up = __shfl_up_sync(0xffffffffu, v, d);
        if (lane >= d) v += up;
    }
    int s = i < n ? x[i] : 0;
    for (int m = 16; m > 0; m >>= 1) s += __shfl_xor_sync(0xffffffffu, s, m);
    int first = __shfl_sync(0xffffffffu, s, 0);
    if (i < n) { scan[i] = v; total[i] = first; }
}

void warp_scan(int n, const int* x, int* scan, int* total) {
    int *dx, *ds, *dt;
    cudaMalloc(&dx, n * sizeof(int)); cudaMalloc(&ds, n * sizeof(int)); cudaMalloc(&dt, n * sizeof(int));
    cudaMemcpy(dx, x, n * sizeof(int), cudaMemcpyHostToDevice);
    warp_scan_kernel<<<(n + 31) / 32, 32>>>(n, dx, ds, dt);
    cudaMemcpy(scan, ds, n * sizeof(int), cudaMemcpyDeviceToHost);
    cudaMemcpy(total, dt, n * sizeof(int), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(ds); cudaFree(dt);
}
