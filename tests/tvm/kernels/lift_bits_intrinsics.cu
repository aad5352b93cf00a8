// CUDA's integer intrinsics on signed data: the number of set bits (__popc, and __popcll of a
// 64-bit product), the leading zero bits (__clz, 32 for zero), the first set bit (__ffs, __ffsll, 0
// for zero), the bits reversed (__brev), and a bit count summed over the row.
// transverify: range x=-2000000000:2000000000
// transverify: shape x=rows*cols, ones=rows*cols, wide=rows*cols, zeros=rows*cols, reversed=rows*cols, total=rows*cols
__global__ void bit_counts(int rows, int cols, const int* x, int* ones, int* wide, int* zeros, unsigned* reversed, int* total) {
    int r = blockIdx.y * blockDim.y + threadIdx.y;
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    if (r < rows && c < cols) {
        int v = x[r * cols + c];
        ones[r * cols + c] = __popc(v);
        wide[r * cols + c] = __popcll((long long)v * 3);
        zeros[r * cols + c] = __clz(v & 0xFFFF) + 100 * __ffs(v & 0xFFF0);
        reversed[r * cols + c] = __brev(v) ^ (unsigned)__ffsll((long long)v << 20);
        int t = 0;
        for (int j = 0; j < cols; ++j) t += __popc((unsigned)x[r * cols + j] >> 16);
        total[r * cols + c] = t - __popc(v);
    }
}

void count_bits(int rows, int cols, const int* x, int* ones, int* wide, int* zeros, unsigned* reversed, int* total) {
    int *dx, *d1, *dw, *dz, *dt;
    unsigned* dr;
    size_t n = (size_t)rows * cols * sizeof(int);
    cudaMalloc(&dx, n); cudaMalloc(&d1, n); cudaMalloc(&dw, n); cudaMalloc(&dz, n); cudaMalloc(&dt, n); cudaMalloc(&dr, n);
    cudaMemcpy(dx, x, n, cudaMemcpyHostToDevice);
    dim3 block(16, 8), grid((cols + 15) / 16, (rows + 7) / 8);
    bit_counts<<<grid, block>>>(rows, cols, dx, d1, dw, dz, dr, dt);
    cudaMemcpy(ones, d1, n, cudaMemcpyDeviceToHost);
    cudaMemcpy(wide, dw, n, cudaMemcpyDeviceToHost);
    cudaMemcpy(zeros, dz, n, cudaMemcpyDeviceToHost);
    cudaMemcpy(reversed, dr, n, cudaMemcpyDeviceToHost);
    cudaMemcpy(total, dt, n, cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(d1); cudaFree(dw); cudaFree(dz); cudaFree(dt); cudaFree(dr);
}
