// Direct 2-D convolution, no padding: one thread per output (k, oy, ox), a sum over c, kh, kw.
// transverify: shape in=C*H*W, w=K*C*KH*KW, out=K*(H-KH+1)*(W-KW+1)
__global__ void conv2d_kernel(int C, int H, int W, int K, int KH, int KW, const float* in, const float* w,
                              float* out) {
    int ox = blockIdx.x * blockDim.x + threadIdx.x;
    int oy = blockIdx.y * blockDim.y + threadIdx.y;
    int k = blockIdx.z * blockDim.z + threadIdx.z;
    int OH = H - KH + 1, OW = W - KW + 1;
    if (ox >= OW || oy >= OH || k >= K) return;
    float acc = 0.0f;
    for (int c = 0; c < C; ++c)
        for (int kh = 0; kh < KH; ++kh)
            for (int kw = 0; kw < KW; ++kw)
                acc += in[(c * H + oy + kh) * W + ox + kw] * w[((k * C + c) * KH + kh) * KW + kw];
    out[(k * OH + oy) * OW + ox] = acc;
}

void conv2d(int C, int H, int W, int K, int KH, int KW, const float* in, const float* w, float* out) {
    int OH = H - KH + 1, OW = W - KW + 1;
    float *din, *dw, *dout;
    cudaMalloc(&din, C * H * W * sizeof(float));
    cudaMalloc(&dw, K * C * KH * KW * sizeof(float));
    cudaMalloc(&dout, K * OH * OW * sizeof(float));
    cudaMemcpy(din, in, C * H * W * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dw, w, K * C * KH * KW * sizeof(float), cudaMemcpyHostToDevice);
    dim3 block(8, 8, 1), grid((OW + 7) / 8, (OH + 7) / 8, K);
    conv2d_kernel<<<grid, block>>>(C, H, W, K, KH, KW, din, dw, dout);
    cudaMemcpy(out, dout, K * OH * OW * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(din); cudaFree(dw); cudaFree(dout);
}
