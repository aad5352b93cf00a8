// Bitwise reductions over a row of integer flags: the union (`|=`), the intersection (`&=`, from
// all bits set), an xor checksum, a union of the flags of negative entries only (an `|=` under an
// if), and each row's index with its low `bits` bits reversed (`|=` of shifted bits, a count
// that depends on the loop).
// transverify: range flags=-5000:5000
// transverify: shape flags=rows*cols, any=rows, all=rows, check=rows, negative=rows, reversed=rows
__global__ void row_bits(int rows, int cols, int bits, const int* flags, int* any, int* all, unsigned* check,
                         int* negative, unsigned* reversed) {
    int r = blockIdx.x * blockDim.x + threadIdx.x;
    if (r >= rows) return;
    int u = 0, a = ~0, n = 0;
    unsigned x = 0u;
    for (int c = 0; c < cols; ++c) {
        int f = flags[r * cols + c];
        u |= f;
        a &= f;
        x ^= (unsigned)f * 2654435761u;
        if (f < 0) n |= f & 0x7FF;
    }
    any[r] = u;
    all[r] = a;
    check[r] = x;
    negative[r] = n;
    unsigned v = (unsigned)r, out = 0;
    for (int i = 0; i < bits; ++i) out |= ((v >> i) & 1u) << (bits - 1 - i);
    reversed[r] = out;
}

void row_bitmasks(int rows, int cols, int bits, const int* flags, int* any, int* all, unsigned* check, int* negative,
                  unsigned* reversed) {
    int *df, *du, *da, *dn;
    unsigned *dx, *dr;
    cudaMalloc(&df, rows * cols * sizeof(int)); cudaMalloc(&du, rows * sizeof(int)); cudaMalloc(&da, rows * sizeof(int));
    cudaMalloc(&dx, rows * sizeof(unsigned)); cudaMalloc(&dn, rows * sizeof(int)); cudaMalloc(&dr, rows * sizeof(unsigned));
    cudaMemcpy(df, flags, rows * cols * sizeof(int), cudaMemcpyHostToDevice);
    row_bits<<<(rows + 63) / 64, 64>>>(rows, cols, bits, df, du, da, dx, dn, dr);
    cudaMemcpy(any, du, rows * sizeof(int), cudaMemcpyDeviceToHost);
    cudaMemcpy(all, da, rows * sizeof(int), cudaMemcpyDeviceToHost);
    cudaMemcpy(check, dx, rows * sizeof(unsigned), cudaMemcpyDeviceToHost);
    cudaMemcpy(negative, dn, rows * sizeof(int), cudaMemcpyDeviceToHost);
    cudaMemcpy(reversed, dr, rows * sizeof(unsigned), cudaMemcpyDeviceToHost);
    cudaFree(df); cudaFree(du); cudaFree(da); cudaFree(dx); cudaFree(dn); cudaFree(dr);
}
