// 2-D average pooling, 2x2 windows with stride 2 over a batch of images: a nested sum, then a divide.
// transverify: shape in=N*H*W, out=N*(H/2)*(W/2)
__global__ void avgpool_kernel(int N, int H, int W, const double* in, double* out) {
    int ox = blockIdx.x * blockDim.x + threadIdx.x;
    int oy = blockIdx.y * blockDim.y + threadIdx.y;
    int n = blockIdx.z * blockDim.z + threadIdx.z;
    if (ox >= W / 2 || oy >= H / 2 || n >= N) return;
    double s = 0.0;
    for (int i = 0; i < 2; ++i) {
        for (int j = 0; j < 2; ++j) {
            s += in[(n * H + 2 * oy + i) * W + 2 * ox + j];
        }
    }
    out[(n * (H / 2) + oy) * (W / 2) + ox] = s / 4.0;
}

void avgpool2d(int N, int H, int W, const double* in, double* out) {
    double *din, *dout;
    size_t in_bytes = (size_t)N * H * W * sizeof(double), out_bytes = (size_t)N * (H / 2) * (W / 2) * sizeof(double);
    cudaMalloc(&din, in_bytes); cudaMalloc(&dout, out_bytes);
    cudaMemcpy(din, in, in_bytes, cudaMemcpyHostToDevice);
    dim3 block(8, 8, 1), grid((W / 2 + 7) / 8, (H / 2 + 7) / 8, N);
    avgpool_kernel<<<grid, block>>>(N, H, W, din, dout);
    cudaMemcpy(out, dout, out_bytes, cudaMemcpyDeviceToHost);
    cudaFree(din); cudaFree(dout);
}
