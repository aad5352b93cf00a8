#include <cstdio>
template <typename T>
__global__ void __launch_bounds__(256) fill(T* x, T v, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) x[i] = v;
}
__global__ void sum3d(float* out) {
    extern __shared__ __align__(16) unsigned char smem[];
    float* s = reinterpret_cast<float*>(smem);
    int t = threadIdx.x + blockDim.x * (threadIdx.y + blockDim.y * threadIdx.z);
    s[t] = 1.0f;
    __syncthreads();
    if (t == 0) { float a = 0; for (int k = 0; k < blockDim.x * blockDim.y * blockDim.z; ++k) a += s[k]; atomicAdd(out, a); }
}
int main() {
    int n = 1000; float* d; cudaMalloc(&d, n * sizeof(float));
    for (int r = 0; r < 2; ++r)
        fill<float><<<(n + 255) / 256,
                      256>>>(d, 2.0f, n);
    float h[1000]; cudaMemcpy(h, d, sizeof h, cudaMemcpyDeviceToHost);
    float* o; cudaMallocManaged(&o, sizeof(float)); *o = 0;
    cudaStream_t st; cudaStreamCreate(&st);
    sum3d<<<dim3(2, 2, 1), dim3(4, 4, 2), 32 * sizeof(float), st>>>(o);
    cudaStreamSynchronize(st);
    printf("%f %f\n", h[999], *o);
}
