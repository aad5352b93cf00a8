// A macro that is not one operand: `W * x[i]` is `2 + 2 * x[i]`, not `4 * x[i]`.
#define W 2 + 2
// transverify: shape x=n, y=n
__global__ void k(int n, const float* x, float* y) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = W * x[i];
}
__device__ float sq(float v) { return v * v; }
void scale(int n, const float* x, float* y) {
    float *dx, *dy;
    cudaMalloc(&dx, n * sizeof(float)); cudaMalloc(&dy, n * sizeof(float));
    cudaMemcpy(dx, x, n * sizeof(float), cudaMemcpyHostToDevice);
    k<<<(n + 255) / 256, 256>>>(n, dx, dy);
    cudaMemcpy(y, dy, n * sizeof(float), cudaMemcpyDeviceToHost);
}
