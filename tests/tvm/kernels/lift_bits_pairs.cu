// Index math with bit operators: neighbours swapped in pairs (`i ^ 1`), a gather through the bit
// reversal of the low 8 bits of the index (a helper summing shifted bits), a store at
// `((i >> 1) << 1) + (i & 1)`, which is the thread's own index.
// transverify: shape x=n, swapped=n, reversed=n, same=n
__device__ int reverse8(int v) {
    int r = 0;
    for (int b = 0; b < 8; ++b) r += ((v >> b) & 1) << (7 - b);
    return r;
}

__global__ void pairs(int n, const float* x, float* swapped, float* reversed, float* same) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        int partner = i ^ 1;
        swapped[i] = partner < n ? x[partner] : x[i];
        int j = (i & ~255) | reverse8(i & 255);
        reversed[i] = j < n ? x[j] : -x[i];
        same[((i >> 1) << 1) + (i & 1)] = 2.0f * x[i];
    }
}

void bit_pairs(int n, const float* x, float* swapped, float* reversed, float* same) {
    float *dx, *ds, *dr, *dm;
    cudaMalloc(&dx, n * sizeof(float)); cudaMalloc(&ds, n * sizeof(float));
    cudaMalloc(&dr, n * sizeof(float)); cudaMalloc(&dm, n * sizeof(float));
    cudaMemcpy(dx, x, n * sizeof(float), cudaMemcpyHostToDevice);
    pairs<<<(n + 127) / 128, 128>>>(n, dx, ds, dr, dm);
    cudaMemcpy(swapped, ds, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(reversed, dr, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(same, dm, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(ds); cudaFree(dr); cudaFree(dm);
}
