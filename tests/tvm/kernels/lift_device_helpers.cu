// Helpers of several kinds inlined into one kernel: an fmaf lerp, a sigmoid, a template, a helper
// with locals and early returns, helpers calling helpers, a load through a pointer parameter,
// reference parameters that the helpers assign (one of them behind an early return).
// transverify: shape x=n, w=n, y=n, z=n
#include <math.h>

__device__ inline float lerp(float a, float b, float t) { return fmaf(t, b, fmaf(-t, a, a)); }

static __host__ __device__ float sigmoid(float v) { return 1.0f / (1.0f + expf(-v)); }

template <typename T>
__device__ __forceinline__ T relu(T v) { return v > T(0) ? v : T(0); }

__device__ __forceinline__ float soft_clip(float v, float lo, float hi) {
    float span = hi - lo;
    if (v < lo) {
        return lo - 0.1f * sigmoid(lo - v) * span;
    } else if (v > hi) {
        float over = v - hi;
        return hi + 0.1f * over / (1.0f + over);
    }
    return v;
}

__device__ float load(const float* p, int i) { return p[i]; }

__device__ float mix(const float* p, const float* q, int i, float t) {
    float a = load(p, i);
    float b = relu(load(q, i));
    return lerp(a, b, sigmoid(t));
}

__device__ void sincos_scaled(float v, float k, float& s, float& c) {
    s = k * sinf(v);
    c = k * cosf(v);
}

__device__ void order(float& lo, float& hi) {
    if (lo <= hi) return;
    float t = lo;
    lo = hi;
    hi = t;
}

__global__ void helpers_kernel(int n, const float* x, const float* w, float t, float* y, double* z) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    float s, c;
    sincos_scaled(x[i], 0.5f, s, c);
    order(s, c);
    y[i] = soft_clip(mix(x, w, i, t), -0.5f, 0.5f) + (c - s);
    z[i] = relu<double>((double)x[i] - 0.25);
}

void helpers(int n, const float* x, const float* w, float t, float* y, double* z) {
    float *dx, *dw, *dy; double* dz;
    cudaMalloc(&dx, n * sizeof(float)); cudaMalloc(&dw, n * sizeof(float));
    cudaMalloc(&dy, n * sizeof(float)); cudaMalloc(&dz, n * sizeof(double));
    cudaMemcpy(dx, x, n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dw, w, n * sizeof(float), cudaMemcpyHostToDevice);
    helpers_kernel<<<(n + 127) / 128, 128>>>(n, dx, dw, t, dy, dz);
    cudaMemcpy(y, dy, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(z, dz, n * sizeof(double), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dw); cudaFree(dy); cudaFree(dz);
}
