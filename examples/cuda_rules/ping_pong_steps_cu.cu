// Ping-pong device buffers swapped by the host after each relaxation step: after an odd number of
// steps d_u holds the array that started in d_v, and the final copies bring it back to u. The
// rules must keep the device buffers apart from the host arrays (no aliasing) to get that right.
#define N 48

// transverify: shape u=48, v=48
__global__ void relax(const float* in, float* out, float w) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i > 0 && i < N - 1) out[i] = (1.0f - w) * in[i] + 0.5f * w * (in[i - 1] + in[i + 1]);
}

void heat(int steps, float w, float* u, float* v) {
    float *d_u, *d_v;
    cudaMalloc(&d_u, N * sizeof(float)); cudaMalloc(&d_v, N * sizeof(float));
    cudaMemcpy(d_u, u, N * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(d_v, v, N * sizeof(float), cudaMemcpyHostToDevice);
    for (int t = 0; t < steps; ++t) {
        relax<<<(N + 31) / 32, 32>>>(d_u, d_v, w);
        std::swap(d_u, d_v);
    }
    cudaMemcpy(u, d_u, N * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(v, d_v, N * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(d_u); cudaFree(d_v);
}
