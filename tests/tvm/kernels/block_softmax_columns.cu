// Softmax down each column, one block per column: shared-memory trees for the maximum and the sum.
// transverify: shape x=rows*cols, y=rows*cols
#define THREADS 32
__global__ void col_softmax(const float* x, float* y, int rows, int cols) {
    __shared__ float s[THREADS];
    int c = blockIdx.x, t = threadIdx.x;
    float m = -INFINITY;
    for (int r = t; r < rows; r += THREADS) m = fmaxf(m, x[r * cols + c]);
    s[t] = m;
    __syncthreads();
    for (int k = THREADS / 2; k > 0; k >>= 1) {
        if (t < k) s[t] = fmaxf(s[t], s[t + k]);
        __syncthreads();
    }
    m = s[0];
    __syncthreads();
    float sum = 0.0f;
    for (int r = t; r < rows; r += THREADS) sum += expf(x[r * cols + c] - m);
    s[t] = sum;
    __syncthreads();
    for (int k = THREADS / 2; k > 0; k >>= 1) {
        if (t < k) s[t] += s[t + k];
        __syncthreads();
    }
    for (int r = t; r < rows; r += THREADS) y[r * cols + c] = expf(x[r * cols + c] - m) / s[0];
}

void softmax_columns(const float* x, float* y, int rows, int cols) {
    float *dx, *dy;
    cudaMalloc(&dx, rows * cols * sizeof(float)); cudaMalloc(&dy, rows * cols * sizeof(float));
    cudaMemcpy(dx, x, rows * cols * sizeof(float), cudaMemcpyHostToDevice);
    col_softmax<<<cols, THREADS>>>(dx, dy, rows, cols);
    cudaMemcpy(y, dy, rows * cols * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dy);
}
