// Integer data through shifts and masks: a bit count of each value's 32 bits (a sum of
// `(v >> k) & 1u` over k), its parity by xor-folding, and a multiplicative hash mixed with
// compound shifts and xors, all on unsigned values of signed inputs.
// transverify: range x=-2000000000:2000000000
// transverify: shape x=n, bits=n, parity=n, hash=n
__global__ void popcount(int n, const int* x, int* bits, int* parity, unsigned* hash) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    unsigned v = (unsigned)x[i];
    int count = 0;
    for (int k = 0; k < 32; ++k) count += (v >> k) & 1u;
    bits[i] = count;
    unsigned p = v ^ (v >> 16);
    p ^= p >> 8;
    p ^= p >> 4;
    p ^= p >> 2;
    p ^= p >> 1;
    parity[i] = (int)(p & 1u);
    unsigned h = v * 2654435761u;
    h ^= h >> 15;
    h <<= 3;
    h |= (unsigned)i & 7u;
    h &= ~0xF0u;
    hash[i] = h;
}

void bit_count(int n, const int* x, int* bits, int* parity, unsigned* hash) {
    int *dx, *db, *dp;
    unsigned* dh;
    cudaMalloc(&dx, n * sizeof(int)); cudaMalloc(&db, n * sizeof(int));
    cudaMalloc(&dp, n * sizeof(int)); cudaMalloc(&dh, n * sizeof(unsigned));
    cudaMemcpy(dx, x, n * sizeof(int), cudaMemcpyHostToDevice);
    popcount<<<(n + 127) / 128, 128>>>(n, dx, db, dp, dh);
    cudaMemcpy(bits, db, n * sizeof(int), cudaMemcpyDeviceToHost);
    cudaMemcpy(parity, dp, n * sizeof(int), cudaMemcpyDeviceToHost);
    cudaMemcpy(hash, dh, n * sizeof(unsigned), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(db); cudaFree(dp); cudaFree(dh);
}
