// Separable convolution in two launches: a rows pass into a temporary, then a columns pass, each
// over a shared tile with an apron of KERNEL_RADIUS (zero outside the image).  The 5 taps are a
// __constant__ table read flipped (c_taps[KERNEL_RADIUS - j]): a true convolution.
// transverify: shape src=h*w, dst=h*w
#define KERNEL_RADIUS 2
#define BLOCK 16

__constant__ float c_taps[2 * KERNEL_RADIUS + 1] = {0.1f, 0.2f, 0.4f, 0.25f, 0.05f};

__global__ void rows_kernel(const float* src, float* dst, int w, int h) {
    __shared__ float s[BLOCK + 2 * KERNEL_RADIUS];
    int row = blockIdx.y, x = blockIdx.x * BLOCK + threadIdx.x;
    for (int k = threadIdx.x; k < BLOCK + 2 * KERNEL_RADIUS; k += BLOCK) {
        int c = blockIdx.x * BLOCK + k - KERNEL_RADIUS;
        s[k] = (c >= 0 && c < w) ? src[row * w + c] : 0.0f;
    }
    __syncthreads();
    if (x < w) {
        float sum = 0.0f;
        for (int j = -KERNEL_RADIUS; j <= KERNEL_RADIUS; ++j)
            sum += c_taps[KERNEL_RADIUS - j] * s[threadIdx.x + KERNEL_RADIUS + j];
        dst[row * w + x] = sum;
    }
}

__global__ void columns_kernel(const float* src, float* dst, int w, int h) {
    __shared__ float s[BLOCK + 2 * KERNEL_RADIUS];
    int col = blockIdx.x, y = blockIdx.y * BLOCK + threadIdx.x;
    for (int k = threadIdx.x; k < BLOCK + 2 * KERNEL_RADIUS; k += BLOCK) {
        int r = blockIdx.y * BLOCK + k - KERNEL_RADIUS;
        s[k] = (r >= 0 && r < h) ? src[r * w + col] : 0.0f;
    }
    __syncthreads();
    if (y < h) {
        float sum = 0.0f;
        for (int j = -KERNEL_RADIUS; j <= KERNEL_RADIUS; ++j)
            sum += c_taps[KERNEL_RADIUS - j] * s[threadIdx.x + KERNEL_RADIUS + j];
        dst[y * w + col] = sum;
    }
}

void separable_blur(const float* src, float* dst, int w, int h) {
    float *dsrc, *dtmp, *ddst;
    size_t bytes = (size_t)w * h * sizeof(float);
    cudaMalloc(&dsrc, bytes); cudaMalloc(&dtmp, bytes); cudaMalloc(&ddst, bytes);
    cudaMemcpy(dsrc, src, bytes, cudaMemcpyHostToDevice);
    rows_kernel<<<dim3((w + BLOCK - 1) / BLOCK, h), BLOCK>>>(dsrc, dtmp, w, h);
    columns_kernel<<<dim3(w, (h + BLOCK - 1) / BLOCK), BLOCK>>>(dtmp, ddst, w, h);
    cudaMemcpy(dst, ddst, bytes, cudaMemcpyDeviceToHost);
    cudaFree(dsrc); cudaFree(dtmp); cudaFree(ddst);
}
