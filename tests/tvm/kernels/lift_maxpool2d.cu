// 2-D max pooling, window S x S with stride S, one thread per output (channel, row, column).
#include <cfloat>
// transverify: shape in=C*H*W, out=C*(H/S)*(W/S)
__global__ void maxpool_kernel(int C, int H, int W, int S, const float* in, float* out) {
    int ox = blockIdx.x * blockDim.x + threadIdx.x;
    int oy = blockIdx.y * blockDim.y + threadIdx.y;
    int c = blockIdx.z * blockDim.z + threadIdx.z;
    int OH = H / S, OW = W / S;
    if (ox < OW && oy < OH && c < C) {
        float m = -FLT_MAX;
        for (int i = 0; i < S; ++i)
            for (int j = 0; j < S; ++j)
                m = fmaxf(m, in[(c * H + oy * S + i) * W + ox * S + j]);
        out[(c * OH + oy) * OW + ox] = m;
    }
}

void maxpool2d(int C, int H, int W, int S, const float* in, float* out) {
    int OH = H / S, OW = W / S;
    float *din, *dout;
    cudaMalloc(&din, C * H * W * sizeof(float)); cudaMalloc(&dout, C * OH * OW * sizeof(float));
    cudaMemcpy(din, in, C * H * W * sizeof(float), cudaMemcpyHostToDevice);
    dim3 block(8, 8, 4), grid((OW + 7) / 8, (OH + 7) / 8, (C + 3) / 4);
    maxpool_kernel<<<grid, block>>>(C, H, W, S, din, dout);
    cudaMemcpy(out, dout, C * OH * OW * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(din); cudaFree(dout);
}
