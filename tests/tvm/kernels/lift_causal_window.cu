// A trailing moving average over the last W samples: the window t - W + 1 .. t starts before the
// signal for the first samples, where a guard skips the missing ones; and a lower bound clipped
// with max() for the window's maximum.
// transverify: shape x=n, mean=n, peak=n
__global__ void trailing_window_kernel(int n, int W, const float* x, float* mean, float* peak) {
    int t = blockIdx.x * blockDim.x + threadIdx.x;
    if (t >= n) return;
    float sum = 0.0f;
    int used = 0;
    for (int t2 = t - W + 1; t2 <= t; ++t2) {
        if (t2 >= 0) {
            sum += x[t2];
            used++;
        }
    }
    float best = -INFINITY;
    for (int t2 = max(t - W + 1, 0); t2 < t + 1; ++t2) best = fmaxf(best, x[t2]);
    mean[t] = used > 0 ? sum / used : 0.0f;
    peak[t] = best;
}

void trailing_window(int n, int W, const float* x, float* mean, float* peak) {
    float *dx, *dm, *dp;
    cudaMalloc(&dx, n * sizeof(float)); cudaMalloc(&dm, n * sizeof(float)); cudaMalloc(&dp, n * sizeof(float));
    cudaMemcpy(dx, x, n * sizeof(float), cudaMemcpyHostToDevice);
    trailing_window_kernel<<<(n + 63) / 64, 64>>>(n, W, dx, dm, dp);
    cudaMemcpy(mean, dm, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(peak, dp, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dx); cudaFree(dm); cudaFree(dp);
}
