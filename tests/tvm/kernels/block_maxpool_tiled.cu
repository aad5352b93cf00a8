// Tiled max pooling, POOL x POOL windows at stride POOL: each block stages the input pixels of its
// TILE x TILE outputs in shared memory (inside the image only), then each thread takes the
// maximum of its window.
// transverify: shape in=H*W, out=(H/2)*(W/2)
#define POOL 2
#define TILE 8

__global__ void maxpool_kernel(const float* in, float* out, int H, int W) {
    __shared__ float tile[TILE * POOL][TILE * POOL];
    int OH = H / POOL, OW = W / POOL;
    for (int k = threadIdx.y * TILE + threadIdx.x; k < TILE * POOL * TILE * POOL; k += TILE * TILE) {
        int r = blockIdx.y * TILE * POOL + k / (TILE * POOL), c = blockIdx.x * TILE * POOL + k % (TILE * POOL);
        if (r < OH * POOL && c < OW * POOL) tile[k / (TILE * POOL)][k % (TILE * POOL)] = in[r * W + c];
    }
    __syncthreads();
    int i = blockIdx.y * TILE + threadIdx.y, j = blockIdx.x * TILE + threadIdx.x;
    if (i < OH && j < OW) {
        float best = tile[threadIdx.y * POOL][threadIdx.x * POOL];
        for (int a = 0; a < POOL; ++a)
            for (int b = 0; b < POOL; ++b)
                best = fmaxf(best, tile[threadIdx.y * POOL + a][threadIdx.x * POOL + b]);
        out[i * OW + j] = best;
    }
}

void maxpool2d(const float* in, float* out, int H, int W) {
    float *din, *dout;
    int OH = H / POOL, OW = W / POOL;
    cudaMalloc(&din, H * W * sizeof(float)); cudaMalloc(&dout, (OH * OW + 1) * sizeof(float));
    cudaMemcpy(din, in, H * W * sizeof(float), cudaMemcpyHostToDevice);
    dim3 block(TILE, TILE), grid((OW + TILE - 1) / TILE, (OH + TILE - 1) / TILE);
    if (OH > 0 && OW > 0) maxpool_kernel<<<grid, block>>>(din, dout, H, W);
    cudaMemcpy(out, dout, OH * OW * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(din); cudaFree(dout);
}
