// A linear layer without bias, one thread per output: out[t, o] = sum over c of inp[t, c] * weight[o, c].
// The weight is read along the reduction (C = A * B transposed), through pointer offsets.
// transverify: shape inp=T*C, weight=OC*C, out=T*OC
__global__ void linear_kernel(int T, int OC, int C, const float* inp, const float* weight, float* out) {
    int t = blockIdx.y * blockDim.y + threadIdx.y;
    int o = blockIdx.x * blockDim.x + threadIdx.x;
    if (t < T && o < OC) {
        const float* x = inp + t * C;
        const float* w = weight + o * C;
        float acc = 0.0f;
        for (int c = 0; c < C; ++c) acc += x[c] * w[c];
        out[t * OC + o] = acc;
    }
}

void linear(int T, int OC, int C, const float* inp, const float* weight, float* out) {
    float *d_inp, *d_weight, *d_out;
    cudaMalloc(&d_inp, T * C * sizeof(float));
    cudaMalloc(&d_weight, OC * C * sizeof(float));
    cudaMalloc(&d_out, T * OC * sizeof(float));
    cudaMemcpy(d_inp, inp, T * C * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(d_weight, weight, OC * C * sizeof(float), cudaMemcpyHostToDevice);
    dim3 block(16, 16), grid((OC + 15) / 16, (T + 15) / 16);
    linear_kernel<<<grid, block>>>(T, OC, C, d_inp, d_weight, d_out);
    cudaMemcpy(out, d_out, T * OC * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(d_inp); cudaFree(d_weight); cudaFree(d_out);
}
