// A smoothing step that writes every cell (clamped neighbours), ping-ponging between the host
// array's device copy and a scratch buffer that no host array backs.
#define BLOCK 64

__global__ void smooth(const double* in, double* out, int n, double w) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        int left = i > 0 ? i - 1 : i;
        int right = i < n - 1 ? i + 1 : i;
        out[i] = (1.0 - w) * in[i] + 0.5 * w * (in[left] + in[right]);
    }
}

void smooth_steps(double* x, int n, int steps, double w) {
    double* d_x;
    double* d_scratch;
    cudaMalloc(&d_x, n * sizeof(double));
    cudaMalloc(&d_scratch, n * sizeof(double));
    cudaMemcpy(d_x, x, n * sizeof(double), cudaMemcpyHostToDevice);
    for (int s = 0; s < steps; s++) {
        smooth<<<(n + BLOCK - 1) / BLOCK, BLOCK>>>(d_x, d_scratch, n, w);
        double* t = d_x;
        d_x = d_scratch;
        d_scratch = t;
    }
    cudaMemcpy(x, d_x, n * sizeof(double), cudaMemcpyDeviceToHost);
    cudaFree(d_x);
    cudaFree(d_scratch);
}
