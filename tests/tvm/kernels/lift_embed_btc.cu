// One thread per (b, t, c) element of a (B, T, C) tensor: the flat index split by / and % into b, t
// and c, a row of a table gathered by a token id, a store through a pointer (`*dst = ...`). The
// pieces recombine: (b * T + t) * C + c is the thread's own index.
// transverify: range ids=0:15
// transverify: shape out=B*T*C, ids=B*T, table=16*C, pos=T*C
__global__ void embed(float* out, const int* ids, const float* table, const float* pos, int B, int T, int C) {
    int idx = blockIdx.x * blockDim.x + threadIdx.x;
    if (idx < B * T * C) {
        int bt = idx / C;
        int c = idx % C;
        int b = bt / T;
        int t = bt % T;
        const float* row = table + ids[b * T + t] * C;
        float* dst = out + (b * T + t) * C + c;
        *dst = row[c] * 2.0f + *(pos + t * C + c);
    }
}

void embed_tokens(float* out, const int* ids, const float* table, const float* pos, int B, int T, int C) {
    float *d_out, *d_table, *d_pos;
    int* d_ids;
    cudaMalloc(&d_out, B * T * C * sizeof(float));
    cudaMalloc(&d_ids, B * T * sizeof(int));
    cudaMalloc(&d_table, 16 * C * sizeof(float));
    cudaMalloc(&d_pos, T * C * sizeof(float));
    cudaMemcpy(d_ids, ids, B * T * sizeof(int), cudaMemcpyHostToDevice);
    cudaMemcpy(d_table, table, 16 * C * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(d_pos, pos, T * C * sizeof(float), cudaMemcpyHostToDevice);
    embed<<<(B * T * C + 127) / 128, 128>>>(d_out, d_ids, d_table, d_pos, B, T, C);
    cudaMemcpy(out, d_out, B * T * C * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(d_out); cudaFree(d_ids); cudaFree(d_table); cudaFree(d_pos);
}
