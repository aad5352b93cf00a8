// Time steps that copy the new state over the old one (no pointer swap) and zero a per-step
// accumulator with cudaMemset before the launch that adds into it.
#define CUDA_CHECK(call) do { cudaError_t err_ = (call); if (err_ != cudaSuccess) return; } while (0)

__global__ void diffuse(int n, const float* u, float* u_new, float k) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float left = i > 0 ? u[i - 1] : u[i];
        float right = i < n - 1 ? u[i + 1] : u[i];
        u_new[i] = u[i] + k * (left - 2.0f * u[i] + right);
    }
}

__global__ void difference(int n, const float* u, const float* u_new, float* change) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) change[i] += fabsf(u_new[i] - u[i]);
}

void diffuse_steps(int n, int steps, float k, float* u, float* change) {
    float *d_u, *d_new, *d_change;
    size_t bytes = n * sizeof(float);
    CUDA_CHECK(cudaMalloc(&d_u, bytes));
    CUDA_CHECK(cudaMalloc(&d_new, bytes));
    CUDA_CHECK(cudaMalloc(&d_change, bytes));
    CUDA_CHECK(cudaMemcpy(d_u, u, bytes, cudaMemcpyHostToDevice));
    for (int t = 0; t < steps; ++t) {
        CUDA_CHECK(cudaMemset(d_change, 0, bytes));
        diffuse<<<(n + 127) / 128, 128>>>(n, d_u, d_new, k);
        difference<<<(n + 127) / 128, 128>>>(n, d_u, d_new, d_change);
        CUDA_CHECK(cudaMemcpy(d_u, d_new, bytes, cudaMemcpyDeviceToDevice));
    }
    CUDA_CHECK(cudaMemcpy(u, d_u, bytes, cudaMemcpyDeviceToHost));
    CUDA_CHECK(cudaMemcpy(change, d_change, bytes, cudaMemcpyDeviceToHost));
    cudaFree(d_u);
    cudaFree(d_new);
    cudaFree(d_change);
}
