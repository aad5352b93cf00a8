// ReLU-like maxima and minima against constants, with NaN and negative zero reaching them:
// sqrtf of a negative input is NaN, x * 0.f is -0 for a negative x.
__global__ void clamp_kernel(int n, const float* x, float* relu, float* nan_in, float* zero_sign, float* clamp) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        relu[i] = fmaxf(x[i], 0.f);
        nan_in[i] = fmaxf(sqrtf(x[i]) - 0.5f, 0.0f) + fminf(1.0f, sqrtf(x[i]));
        zero_sign[i] = copysignf(1.0f, fmaxf(x[i] * 0.f, 0.f)) + copysignf(1.0f, fminf(x[i] * 0.f, 0.f));
        clamp[i] = fminf(fmaxf(x[i], -0.5f), 0.5f);
    }
}

// transverify: shape x=n, relu=n, nan_in=n, zero_sign=n, clamp=n
void clamps(int n, const float* x, float* relu, float* nan_in, float* zero_sign, float* clamp) {
    float *dx, *d1, *d2, *d3, *d4;
    size_t bytes = n * sizeof(float);
    cudaMalloc(&dx, bytes); cudaMalloc(&d1, bytes); cudaMalloc(&d2, bytes); cudaMalloc(&d3, bytes);
    cudaMalloc(&d4, bytes);
    cudaMemcpy(dx, x, bytes, cudaMemcpyHostToDevice);
    clamp_kernel<<<(n + 127) / 128, 128>>>(n, dx, d1, d2, d3, d4);
    cudaMemcpy(relu, d1, bytes, cudaMemcpyDeviceToHost);
    cudaMemcpy(nan_in, d2, bytes, cudaMemcpyDeviceToHost);
    cudaMemcpy(zero_sign, d3, bytes, cudaMemcpyDeviceToHost);
    cudaMemcpy(clamp, d4, bytes, cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(d1); cudaFree(d2); cudaFree(d3); cudaFree(d4);
}
