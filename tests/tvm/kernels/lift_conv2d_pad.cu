// 3x3 convolution with zero padding 1 ("same" size), one thread per output pixel, a loop over the
// filters that stores: the window's bounds checks are inside the reduction.
// transverify: shape in=C*H*W, w=K*C*9, bias=K, out=K*H*W
__global__ void conv_same_kernel(int C, int H, int W, int K, const float* in, const float* w, const float* bias,
                                 float* out) {
    int x = blockIdx.x * blockDim.x + threadIdx.x;
    int y = blockIdx.y * blockDim.y + threadIdx.y;
    if (x >= W || y >= H) return;
    for (int k = 0; k < K; ++k) {
        float acc = bias[k];
        for (int c = 0; c < C; ++c) {
            for (int kh = 0; kh < 3; ++kh) {
                for (int kw = 0; kw < 3; ++kw) {
                    int iy = y + kh - 1;
                    int ix = x + kw - 1;
                    if (iy >= 0 && iy < H && ix >= 0 && ix < W)
                        acc += in[(c * H + iy) * W + ix] * w[((k * C + c) * 3 + kh) * 3 + kw];
                }
            }
        }
        out[(k * H + y) * W + x] = acc;
    }
}

void conv2d_same(int C, int H, int W, int K, const float* in, const float* w, const float* bias, float* out) {
    float *din, *dw, *db, *dout;
    cudaMalloc(&din, C * H * W * sizeof(float)); cudaMalloc(&dw, K * C * 9 * sizeof(float));
    cudaMalloc(&db, K * sizeof(float)); cudaMalloc(&dout, K * H * W * sizeof(float));
    cudaMemcpy(din, in, C * H * W * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dw, w, K * C * 9 * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(db, bias, K * sizeof(float), cudaMemcpyHostToDevice);
    dim3 block(16, 16), grid((W + 15) / 16, (H + 15) / 16);
    conv_same_kernel<<<grid, block>>>(C, H, W, K, din, dw, db, dout);
    cudaMemcpy(out, dout, K * H * W * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(din); cudaFree(dw); cudaFree(db); cudaFree(dout);
}
