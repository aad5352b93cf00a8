// A linear layer, one thread per (row, output channel) on a 2-D grid: a dot product over the inputs
// plus an optional bias, tested against null (`bias != nullptr`, `if (!bias)`). The entry copies the
// bias to the device, so the kernel always sees an allocation.
// transverify: shape y=rows*outs, x=rows*ins, w=outs*ins, bias=outs
__global__ void linear(float* y, const float* x, const float* w, const float* bias, int rows, int ins, int outs) {
    int r = blockIdx.y * blockDim.y + threadIdx.y;
    int o = blockIdx.x * blockDim.x + threadIdx.x;
    if (r < rows && o < outs) {
        float acc = (bias != nullptr) ? bias[o] : 0.0f;
        for (int k = 0; k < ins; ++k) acc += x[r * ins + k] * w[o * ins + k];
        if (!bias) acc = 0.0f;
        y[r * outs + o] = acc;
    }
}

void linear_forward(float* y, const float* x, const float* w, const float* bias, int rows, int ins, int outs) {
    float *dy, *dx, *dw, *db;
    cudaMalloc(&dy, rows * outs * sizeof(float));
    cudaMalloc(&dx, rows * ins * sizeof(float));
    cudaMalloc(&dw, outs * ins * sizeof(float));
    cudaMalloc(&db, outs * sizeof(float));
    cudaMemcpy(dx, x, rows * ins * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dw, w, outs * ins * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(db, bias, outs * sizeof(float), cudaMemcpyHostToDevice);
    dim3 block(8, 8);
    dim3 grid((outs + 7) / 8, (rows + 7) / 8);
    linear<<<grid, block>>>(dy, dx, dw, db, rows, ins, outs);
    cudaMemcpy(y, dy, rows * outs * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dy); cudaFree(dx); cudaFree(dw); cudaFree(db);
}
