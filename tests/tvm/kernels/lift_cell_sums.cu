// Row products accumulated in the output cells themselves: s starts at 0, y starts from its old
// value, both are updated in one loop and then combined; z sums over a double loop. The element
// type is a `using` alias.
using real = float;

// transverify: shape P=n*m, Q=n*m, v=m, s=n, y=n, z=n
__global__ void row_products(int n, int m, real a, const real* P, const real* Q, const real* v, real* s, real* y,
                             real* z) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    s[i] = 0.0f;
    for (int j = 0; j < m; ++j) {
        s[i] += P[i * m + j] * v[j];
        y[i] += Q[i * m + j] * v[j];
    }
    y[i] = a * s[i] - y[i];
    for (int p = 0; p < m; ++p)
        for (int q = 0; q < m; ++q)
            z[i] += P[i * m + p] * Q[i * m + q];
}

void row_products_host(int n, int m, float a, const float* P, const float* Q, const float* v, float* s, float* y,
                       float* z) {
    float *dP, *dQ, *dv, *ds, *dy, *dz;
    cudaMalloc(&dP, n * m * sizeof(float)); cudaMalloc(&dQ, n * m * sizeof(float)); cudaMalloc(&dv, m * sizeof(float));
    cudaMalloc(&ds, n * sizeof(float)); cudaMalloc(&dy, n * sizeof(float)); cudaMalloc(&dz, n * sizeof(float));
    cudaMemcpy(dP, P, n * m * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dQ, Q, n * m * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dv, v, m * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dy, y, n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dz, z, n * sizeof(float), cudaMemcpyHostToDevice);
    row_products<<<(n + 31) / 32, 32>>>(n, m, a, dP, dQ, dv, ds, dy, dz);
    cudaMemcpy(s, ds, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(y, dy, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(z, dz, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dP); cudaFree(dQ); cudaFree(dv); cudaFree(ds); cudaFree(dy); cudaFree(dz);
}
