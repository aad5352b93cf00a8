// Not a convolution: the tiled 2-D kernel's signature and shared tile with a halo, but each window
// term is squared before it is weighted (a local energy), so no convolution template verifies.
// The mask is in __constant__ memory, filled from the parameter.
// transverify: shape in=height*width, mask=25, out=height*width
#define RADIUS 2
#define MASK_WIDTH (2 * RADIUS + 1)
#define TILE 8
#define SPAN (TILE + 2 * RADIUS)

__constant__ float c_mask[MASK_WIDTH * MASK_WIDTH];

__global__ void energy_tiled_kernel(const float* in, float* out, int height, int width) {
    __shared__ float tile[SPAN][SPAN];
    int row0 = blockIdx.y * TILE - RADIUS, col0 = blockIdx.x * TILE - RADIUS;
    for (int k = threadIdx.y * TILE + threadIdx.x; k < SPAN * SPAN; k += TILE * TILE) {
        int r = row0 + k / SPAN, c = col0 + k % SPAN;
        tile[k / SPAN][k % SPAN] = (r >= 0 && r < height && c >= 0 && c < width) ? in[r * width + c] : 0.0f;
    }
    __syncthreads();
    int row = blockIdx.y * TILE + threadIdx.y, col = blockIdx.x * TILE + threadIdx.x;
    if (row < height && col < width) {
        float sum = 0.0f;
        for (int a = 0; a < MASK_WIDTH; ++a)
            for (int b = 0; b < MASK_WIDTH; ++b) {
                float v = tile[threadIdx.y + a][threadIdx.x + b];
                sum += v * v * c_mask[a * MASK_WIDTH + b];
            }
        out[row * width + col] = sum;
    }
}

void energy_tiled(const float* in, const float* mask, float* out, int height, int width) {
    float *din, *dout;
    cudaMalloc(&din, height * width * sizeof(float));
    cudaMalloc(&dout, height * width * sizeof(float));
    cudaMemcpy(din, in, height * width * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpyToSymbol(c_mask, mask, MASK_WIDTH * MASK_WIDTH * sizeof(float));
    dim3 block(TILE, TILE), grid((width + TILE - 1) / TILE, (height + TILE - 1) / TILE);
    energy_tiled_kernel<<<grid, block>>>(din, dout, height, width);
    cudaMemcpy(out, dout, height * width * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(din); cudaFree(dout);
}
