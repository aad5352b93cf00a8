// SGD with momentum, one thread per parameter and a `long` count: the velocity is stored, then read
// back to update the weights. The weights' new value needs the old velocity, so it is computed before
// the velocity array is overwritten.
// transverify: shape w=n, g=n, vel=n
__global__ void sgd_momentum(float* w, const float* g, float* vel, long n, float lr, float mu) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    vel[i] = mu * vel[i] + g[i];
    w[i] -= lr * vel[i];
}

void sgd_step(float* w, const float* g, float* vel, long n, float lr, float mu) {
    float *dw, *dg, *dv;
    cudaMalloc(&dw, n * sizeof(float));
    cudaMalloc(&dg, n * sizeof(float));
    cudaMalloc(&dv, n * sizeof(float));
    cudaMemcpy(dw, w, n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dg, g, n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dv, vel, n * sizeof(float), cudaMemcpyHostToDevice);
    sgd_momentum<<<(int)((n + 127) / 128), 128>>>(dw, dg, dv, n, lr, mu);
    cudaMemcpy(w, dw, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(vel, dv, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dw); cudaFree(dg); cudaFree(dv);
}
