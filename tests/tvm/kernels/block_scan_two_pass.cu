// Exclusive scan of any length: Blelloch's up-sweep and down-sweep in shared memory per block of
// 2*THREADS elements, the block sums scanned by a second launch, then added back.
// transverify: shape x=n, y=n
#define THREADS 4
#define TILE (2 * THREADS)
__global__ void blelloch(const float* x, float* y, float* sums, int n) {
    __shared__ float t[TILE];
    int tid = threadIdx.x, base = blockIdx.x * TILE;
    t[2 * tid] = base + 2 * tid < n ? x[base + 2 * tid] : 0.0f;
    t[2 * tid + 1] = base + 2 * tid + 1 < n ? x[base + 2 * tid + 1] : 0.0f;
    int offset = 1;
    for (int d = TILE >> 1; d > 0; d >>= 1) {
        __syncthreads();
        if (tid < d) { int a = offset * (2 * tid + 1) - 1, b = offset * (2 * tid + 2) - 1; t[b] += t[a]; }
        offset <<= 1;
    }
    if (tid == 0) { if (sums) sums[blockIdx.x] = t[TILE - 1]; t[TILE - 1] = 0.0f; }
    for (int d = 1; d < TILE; d <<= 1) {
        offset >>= 1;
        __syncthreads();
        if (tid < d) {
            int a = offset * (2 * tid + 1) - 1, b = offset * (2 * tid + 2) - 1;
            float v = t[a]; t[a] = t[b]; t[b] += v;
        }
    }
    __syncthreads();
    if (base + 2 * tid < n) y[base + 2 * tid] = t[2 * tid];
    if (base + 2 * tid + 1 < n) y[base + 2 * tid + 1] = t[2 * tid + 1];
}

__global__ void add_offsets(float* y, const float* offsets, int n) {
    int i = blockIdx.x * TILE + threadIdx.x;
    if (i < n) y[i] += offsets[blockIdx.x];
}

static void scan_device(const float* dx, float* dy, int n) {
    int blocks = (n + TILE - 1) / TILE;
    float *sums, *scanned;
    cudaMalloc(&sums, blocks * sizeof(float));
    cudaMalloc(&scanned, blocks * sizeof(float));
    blelloch<<<blocks, THREADS>>>(dx, dy, sums, n);
    if (blocks > 1) {
        scan_device(sums, scanned, blocks);
        add_offsets<<<blocks, TILE>>>(dy, scanned, n);
    }
    cudaFree(sums); cudaFree(scanned);
}

void exclusive_scan(const float* x, float* y, int n) {
    float *dx, *dy;
    cudaMalloc(&dx, n * sizeof(float)); cudaMalloc(&dy, n * sizeof(float));
    cudaMemcpy(dx, x, n * sizeof(float), cudaMemcpyHostToDevice);
    scan_device(dx, dy, n);
    cudaMemcpy(y, dy, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dy);
}
