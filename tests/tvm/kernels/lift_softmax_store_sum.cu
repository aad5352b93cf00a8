// Softmax with a temperature, one thread per row: a maximum loop, a loop that stores exp(...) and
// adds the value it just stored to a double, then a loop that rescales the stored row in place.
// transverify: shape logits=rows*cols, probs=rows*cols
__global__ void softmax_temp(const float* logits, float* probs, int rows, int cols, float temp) {
    int r = blockIdx.x * blockDim.x + threadIdx.x;
    if (r < rows) {
        const float* in = logits + r * cols;
        float* out = probs + r * cols;
        float hi = -INFINITY;
        for (int c = 0; c < cols; ++c) hi = fmaxf(hi, in[c]);
        double total = 0.0;
        for (int c = 0; c < cols; ++c) {
            out[c] = expf((in[c] - hi) / temp);
            total += out[c];
        }
        float scale = (float)(1.0 / total);
        for (int c = 0; c < cols; ++c) out[c] *= scale;
    }
}

void softmax_rows(const float* logits, float* probs, int rows, int cols, float temp) {
    float *dl, *dp;
    cudaMalloc(&dl, rows * cols * sizeof(float));
    cudaMalloc(&dp, rows * cols * sizeof(float));
    cudaMemcpy(dl, logits, rows * cols * sizeof(float), cudaMemcpyHostToDevice);
    softmax_temp<<<(rows + 31) / 32, 32>>>(dl, dp, rows, cols, temp);
    cudaMemcpy(probs, dp, rows * cols * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dl); cudaFree(dp);
}
