// Signed integers in both directions: an arithmetic right shift of negative values (floor), C's
// truncating division and remainder of the same values, a left shift, and the unsigned (logical)
// shift of the same bits.
// transverify: range x=-100000:100000
// transverify: shape x=n, shifted=n, quotient=n, remainder=n, logical=n
__global__ void signed_bits(int n, int d, const int* x, int* shifted, int* quotient, int* remainder, int* logical) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        int v = x[i];
        shifted[i] = (v >> 3) + (v << 2) - (v >> d);
        quotient[i] = v / 8 + v / -d;
        remainder[i] = v % 8 - v % d;
        logical[i] = (int)((unsigned)v >> 28) + (int)(~v & 0xF);
    }
}

void signed_shift(int n, int d, const int* x, int* shifted, int* quotient, int* remainder, int* logical) {
    int *dx, *ds, *dq, *dr, *dl;
    cudaMalloc(&dx, n * sizeof(int)); cudaMalloc(&ds, n * sizeof(int)); cudaMalloc(&dq, n * sizeof(int));
    cudaMalloc(&dr, n * sizeof(int)); cudaMalloc(&dl, n * sizeof(int));
    cudaMemcpy(dx, x, n * sizeof(int), cudaMemcpyHostToDevice);
    signed_bits<<<(n + 127) / 128, 128>>>(n, d, dx, ds, dq, dr, dl);
    cudaMemcpy(shifted, ds, n * sizeof(int), cudaMemcpyDeviceToHost);
    cudaMemcpy(quotient, dq, n * sizeof(int), cudaMemcpyDeviceToHost);
    cudaMemcpy(remainder, dr, n * sizeof(int), cudaMemcpyDeviceToHost);
    cudaMemcpy(logical, dl, n * sizeof(int), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(ds); cudaFree(dq); cudaFree(dr); cudaFree(dl);
}
