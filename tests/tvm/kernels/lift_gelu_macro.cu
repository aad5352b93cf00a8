// tanh-approximated GELU, one thread per element, its constants written as macros: one defined by a
// call over <math.h>'s M_PI, one naming another macro, one a plain literal.
#include <math.h>
#define CUBIC_COEFF 0.044715f
#define TANH_SCALE sqrtf(2.0f / M_PI)
#define HALF_SCALE (0.5f * TANH_SCALE)

// transverify: shape x=n, y=n
__global__ void gelu_tanh(const float* x, float* y, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float v = x[i];
        float inner = 2.0f * HALF_SCALE * (v + CUBIC_COEFF * v * v * v);
        y[i] = 0.5f * v * (1.0f + tanhf(inner));
    }
}

void gelu(const float* x, float* y, int n) {
    float *dx, *dy;
    cudaMalloc(&dx, n * sizeof(float));
    cudaMalloc(&dy, n * sizeof(float));
    cudaMemcpy(dx, x, n * sizeof(float), cudaMemcpyHostToDevice);
    gelu_tanh<<<(n + 255) / 256, 256>>>(dx, dy, n);
    cudaMemcpy(y, dy, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dy);
}
