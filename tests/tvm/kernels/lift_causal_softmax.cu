// A causally masked softmax over scores[t][0..T): thread (t, j) normalises over the columns t2 <= t
// (maximum, then the sum of exponentials) and masks the columns after t to 0; a strict `t2 < t` loop
// counts the earlier columns.
// transverify: shape scores=T*T, probs=T*T, before=T*T
__global__ void causal_softmax_kernel(int T, const float* scores, float* probs, int* before) {
    int t = blockIdx.y * blockDim.y + threadIdx.y;
    int j = blockIdx.x * blockDim.x + threadIdx.x;
    if (t < T && j < T) {
        float mx = -INFINITY;
        for (int t2 = 0; t2 < t + 1; t2++) {
            if (scores[t * T + t2] > mx) mx = scores[t * T + t2];
        }
        float denom = 0.0f;
        for (int t2 = 0; t2 <= t; t2++) {
            denom += expf(scores[t * T + t2] - mx);
        }
        int count = 0;
        for (int t2 = 0; t2 < t; t2++) count++;
        probs[t * T + j] = j <= t ? expf(scores[t * T + j] - mx) / denom : 0.0f;
        before[t * T + j] = count;
    }
}

void causal_softmax(int T, const float* scores, float* probs, int* before) {
    float *ds, *dp; int* db;
    cudaMalloc(&ds, T * T * sizeof(float)); cudaMalloc(&dp, T * T * sizeof(float));
    cudaMalloc(&db, T * T * sizeof(int));
    cudaMemcpy(ds, scores, T * T * sizeof(float), cudaMemcpyHostToDevice);
    dim3 block(8, 8), grid((T + 7) / 8, (T + 7) / 8);
    causal_softmax_kernel<<<grid, block>>>(T, ds, dp, db);
    cudaMemcpy(probs, dp, T * T * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(before, db, T * T * sizeof(int), cudaMemcpyDeviceToHost);
    cudaFree(ds); cudaFree(dp); cudaFree(db);
}
