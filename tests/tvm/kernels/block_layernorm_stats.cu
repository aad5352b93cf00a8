// Layer norm as two launches, as training code writes it: per-row mean and rstd by a shared-memory
// tree (kept for the backward pass), then an element-wise normalisation; rows = B*T.
// transverify: shape out=B*T*C, mean=B*T, rstd=B*T, inp=B*T*C, weight=C, bias=C
// transverify: value B=2
#define THREADS 32
#define EPS 1e-5f
__global__ void row_stats(float* mean, float* rstd, const float* inp, int C) {
    __shared__ float s[THREADS];
    int row = blockIdx.x, t = threadIdx.x;
    const float* x = inp + row * C;
    float acc = 0.0f;
    for (int c = t; c < C; c += THREADS) acc += x[c];
    s[t] = acc;
    for (int k = THREADS / 2; k > 0; k /= 2) {
        __syncthreads();
        if (t < k) s[t] += s[t + k];
    }
    __syncthreads();
    float m = s[0] / C;
    __syncthreads();
    acc = 0.0f;
    for (int c = t; c < C; c += THREADS) acc += (x[c] - m) * (x[c] - m);
    s[t] = acc;
    for (int k = THREADS / 2; k > 0; k /= 2) {
        __syncthreads();
        if (t < k) s[t] += s[t + k];
    }
    if (t == 0) { mean[row] = m; rstd[row] = 1.0f / sqrtf(s[0] / C + EPS); }
}

__global__ void normalise(float* out, const float* inp, const float* mean, const float* rstd,
                          const float* weight, const float* bias, int N, int C) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= N * C) return;
    int row = i / C, c = i % C;
    out[i] = (inp[i] - mean[row]) * rstd[row] * weight[c] + bias[c];
}

void layernorm_train(float* out, float* mean, float* rstd, const float* inp, const float* weight,
                     const float* bias, int B, int T, int C) {
    int N = B * T;
    float *d_out, *d_mean, *d_rstd, *d_inp, *d_w, *d_b;
    cudaMalloc(&d_out, N * C * sizeof(float)); cudaMalloc(&d_inp, N * C * sizeof(float));
    cudaMalloc(&d_mean, N * sizeof(float)); cudaMalloc(&d_rstd, N * sizeof(float));
    cudaMalloc(&d_w, C * sizeof(float)); cudaMalloc(&d_b, C * sizeof(float));
    cudaMemcpy(d_inp, inp, N * C * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(d_w, weight, C * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(d_b, bias, C * sizeof(float), cudaMemcpyHostToDevice);
    row_stats<<<N, THREADS>>>(d_mean, d_rstd, d_inp, C);
    normalise<<<(N * C + 127) / 128, 128>>>(d_out, d_inp, d_mean, d_rstd, d_w, d_b, N, C);
    cudaMemcpy(out, d_out, N * C * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(mean, d_mean, N * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(rstd, d_rstd, N * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(d_out); cudaFree(d_inp); cudaFree(d_mean); cudaFree(d_rstd); cudaFree(d_w); cudaFree(d_b);
}
