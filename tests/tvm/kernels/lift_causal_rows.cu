// A causal softmax with one thread per row: the exp loop over t2 <= t stores and sums, a loop over
// the whole row rescales the causal cells and zeroes the rest; `seen` is written on the causal cells
// only, the others keep their values.
// transverify: shape scores=T*T, probs=T*T, seen=T*T
__global__ void causal_rows_kernel(int T, const float* scores, float* probs, float* seen) {
    int t = blockIdx.x * blockDim.x + threadIdx.x;
    if (t < T) {
        float mx = -INFINITY;
        for (int t2 = 0; t2 <= t; t2++) mx = fmaxf(mx, scores[t * T + t2]);
        float sum = 0.0f;
        for (int t2 = 0; t2 <= t; t2++) {
            float e = expf(scores[t * T + t2] - mx);
            probs[t * T + t2] = e;
            seen[t * T + t2] = scores[t * T + t2] + 1.0f;
            sum += e;
        }
        float inv = 1.0f / sum;
        for (int t2 = 0; t2 < T; t2++) {
            if (t2 <= t) {
                probs[t * T + t2] *= inv;
            } else {
                probs[t * T + t2] = 0.0f;
            }
        }
    }
}

void causal_rows(int T, const float* scores, float* probs, float* seen) {
    float *ds, *dp, *dn;
    cudaMalloc(&ds, T * T * sizeof(float)); cudaMalloc(&dp, T * T * sizeof(float));
    cudaMalloc(&dn, T * T * sizeof(float));
    cudaMemcpy(dn, seen, T * T * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(ds, scores, T * T * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dp, probs, T * T * sizeof(float), cudaMemcpyHostToDevice);
    causal_rows_kernel<<<(T + 31) / 32, 32>>>(T, ds, dp, dn);
    cudaMemcpy(probs, dp, T * T * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(seen, dn, T * T * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(ds); cudaFree(dp); cudaFree(dn);
}
