// Tiled 2-D convolution: each block loads its tile and a halo of RADIUS pixels into shared memory
// (zero outside the image), then every thread sums the 5x5 window against a mask in __constant__
// memory that the entry fills from its parameter.
// transverify: shape in=height*width, mask=25, out=height*width
#define RADIUS 2
#define MASK_WIDTH (2 * RADIUS + 1)
#define TILE 8
#define SPAN (TILE + 2 * RADIUS)

__constant__ float c_mask[MASK_WIDTH * MASK_WIDTH];

__global__ void conv2d_tiled_kernel(const float* in, float* out, int height, int width) {
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
            for (int b = 0; b < MASK_WIDTH; ++b)
                sum += tile[threadIdx.y + a][threadIdx.x + b] * c_mask[a * MASK_WIDTH + b];
        out[row * width + col] = sum;
    }
}

void conv2d_tiled(const float* in, const float* mask, float* out, int height, int width) {
    float *din, *dout;
    cudaMalloc(&din, height * width * sizeof(float));
    cudaMalloc(&dout, height * width * sizeof(float));
    cudaMemcpy(din, in, height * width * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpyToSymbol(c_mask, mask, MASK_WIDTH * MASK_WIDTH * sizeof(float));
    dim3 block(TILE, TILE), grid((width + TILE - 1) / TILE, (height + TILE - 1) / TILE);
    conv2d_tiled_kernel<<<grid, block>>>(din, dout, height, width);
    cudaMemcpy(out, dout, height * width * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(din); cudaFree(dout);
}
