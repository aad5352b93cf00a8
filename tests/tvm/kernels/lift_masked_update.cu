// Early returns that mask work by data: a thread whose weight is not positive returns at once (y
// keeps its value there), one whose x is large stores a clamp and returns, with an else branch
// that counts it in `hits`; the rest update y and hits.
// transverify: shape w=n, x=n, y=n, hits=n
__global__ void masked_update(int n, float limit, const float* w, const float* x, float* y, float* hits) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    if (w[i] <= 0.0f) return;
    float v = w[i] * x[i];
    if (v > limit) {
        y[i] = limit;
        return;
    } else {
        hits[i] += 1.0f;
    }
    y[i] += v;
    hits[i] += 0.5f;
}

void masked(int n, float limit, const float* w, const float* x, float* y, float* hits) {
    float *dw, *dx, *dy, *dh;
    cudaMalloc(&dw, n * sizeof(float)); cudaMalloc(&dx, n * sizeof(float));
    cudaMalloc(&dy, n * sizeof(float)); cudaMalloc(&dh, n * sizeof(float));
    cudaMemcpy(dw, w, n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dx, x, n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dy, y, n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dh, hits, n * sizeof(float), cudaMemcpyHostToDevice);
    masked_update<<<(n + 63) / 64, 64>>>(n, limit, dw, dx, dy, dh);
    cudaMemcpy(y, dy, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(hits, dh, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dw); cudaFree(dx); cudaFree(dy); cudaFree(dh);
}
