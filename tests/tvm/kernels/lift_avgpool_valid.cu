// 3x3 average pooling, stride 1, padding left out of the count: the window sum runs over kh and kw,
// while the count of valid rows is updated in the kh loop alone (it must not be multiplied by 3).
// transverify: shape in=H*W, out=H*W
__global__ void avgpool_valid_kernel(int H, int W, const float* in, float* out) {
    int x = blockIdx.x * blockDim.x + threadIdx.x;
    int y = blockIdx.y * blockDim.y + threadIdx.y;
    if (x >= W || y >= H) return;
    int cols = 0;
    for (int kw = 0; kw < 3; ++kw) {
        int ix = x + kw - 1;
        if (ix >= 0 && ix < W) cols += 1;
    }
    float s = 0.0f;
    int rows = 0;
    for (int kh = 0; kh < 3; ++kh) {
        int iy = y + kh - 1;
        if (iy >= 0 && iy < H) rows += 1;
        for (int kw = 0; kw < 3; ++kw) {
            int ix = x + kw - 1;
            if (iy >= 0 && iy < H && ix >= 0 && ix < W) s += in[iy * W + ix];
        }
    }
    out[y * W + x] = s / (float)(rows * cols);
}

void avgpool_valid(int H, int W, const float* in, float* out) {
    float *din, *dout;
    cudaMalloc(&din, H * W * sizeof(float)); cudaMalloc(&dout, H * W * sizeof(float));
    cudaMemcpy(din, in, H * W * sizeof(float), cudaMemcpyHostToDevice);
    dim3 block(16, 16), grid((W + 15) / 16, (H + 15) / 16);
    avgpool_valid_kernel<<<grid, block>>>(H, W, din, dout);
    cudaMemcpy(out, dout, H * W * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(din); cudaFree(dout);
}
