// Explicit Euler step of independent particles under gravity, bouncing off the floor.
// transverify: shape px=n, py=n, vx=n, vy=n
__global__ void step(int n, float dt, float* px, float* py, float* vx, float* vy) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        vy[i] -= 9.81f * dt;
        px[i] += vx[i] * dt;
        py[i] += vy[i] * dt;
        if (py[i] < 0.0f) {
            py[i] = -py[i];
            vy[i] = -vy[i];
        }
    }
}

void particles(int n, float dt, float* px, float* py, float* vx, float* vy) {
    float *d[4];
    float* h[4] = {px, py, vx, vy};
    for (int k = 0; k < 4; ++k) {
        cudaMalloc(&d[k], n * sizeof(float));
        cudaMemcpy(d[k], h[k], n * sizeof(float), cudaMemcpyHostToDevice);
    }
    step<<<(n + 255) / 256, 256>>>(n, dt, d[0], d[1], d[2], d[3]);
    for (int k = 0; k < 4; ++k) {
        cudaMemcpy(h[k], d[k], n * sizeof(float), cudaMemcpyDeviceToHost);
        cudaFree(d[k]);
    }
}
