// Causal attention scores, one thread per (batch, query, key) cell: a key after the query is masked
// with -inf and the thread returns before its dot product; the others store q·k / sqrt(d).
// transverify: shape scores=B*T*T, q=B*T*D, k=B*T*D
__global__ void causal_scores(float* scores, const float* q, const float* k, int B, int T, int D) {
    int cell = blockIdx.x * blockDim.x + threadIdx.x;
    if (cell < B * T * T) {
        int key = cell % T;
        int query = (cell / T) % T;
        int b = cell / (T * T);
        if (key > query) {
            scores[cell] = -INFINITY;  // the mask
            return;
        }
        const float* qrow = q + (b * T + query) * D;
        const float* krow = k + (b * T + key) * D;
        float dot = 0.0f;
        for (int d = 0; d < D; d++) dot += qrow[d] * krow[d];
        scores[cell] = dot / sqrtf((float)D);
    }
}

void causal_attention_scores(float* scores, const float* q, const float* k, int B, int T, int D) {
    float *ds, *dq, *dk;
    cudaMalloc(&ds, B * T * T * sizeof(float));
    cudaMalloc(&dq, B * T * D * sizeof(float)); cudaMalloc(&dk, B * T * D * sizeof(float));
    cudaMemcpy(dq, q, B * T * D * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dk, k, B * T * D * sizeof(float), cudaMemcpyHostToDevice);
    causal_scores<<<(B * T * T + 127) / 128, 128>>>(ds, dq, dk, B, T, D);
    cudaMemcpy(scores, ds, B * T * T * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(ds); cudaFree(dq); cudaFree(dk);
}
