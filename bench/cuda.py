"""CPU-path speed of the CUDA execution layer, as ratios to plain serial C++.

Two workloads, each timed in the same run against a serial C++ loop doing the
same arithmetic:
  * elementwise: y = a*x + y over 1M floats (4096 blocks x 256 threads, no barriers)
  * tiled matmul: 256^3 with 16x16 shared-memory tiles (2 barriers per tile)
The CUDA side is built as verification builds it: launches rewritten, the
runtime header included, -O1 + AddressSanitizer; and also -O2 without
AddressSanitizer, to show what the sanitizer costs.  Each program times its
own kernel REPS times and prints the median (milliseconds); so compile time
is excluded.

Run: .venv/bin/python bench/cuda.py [--reps 7]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from verify.cuda.rewrite import rewrite  # noqa: E402  (the repository copy, not an installed one)

HEADER = REPO / "verify" / "cuda" / "runtime" / "tvcuda_runtime.h"

TIMER = r"""
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>
template <class F> double median_ms(int reps, F f) {
    std::vector<double> t;
    for (int r = 0; r < reps; ++r) {
        auto a = std::chrono::steady_clock::now();
        f();
        t.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - a).count());
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}
"""

ELEMENTWISE_CU = TIMER + r"""
__global__ void saxpy(int n, float a, const float* x, float* y) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = a * x[i] + y[i];
}
int main(int argc, char** argv) {
    int n = 1 << 20, reps = atoi(argv[1]);
    float *x, *y;
    cudaMallocManaged(&x, n * sizeof(float)); cudaMallocManaged(&y, n * sizeof(float));
    for (int i = 0; i < n; ++i) { x[i] = i % 7; y[i] = 1; }
    double ms = median_ms(reps, [&] { saxpy<<<(n + 255) / 256, 256>>>(n, 0.5f, x, y); cudaDeviceSynchronize(); });
    std::printf("%.4f %f\n", ms, y[n - 1]);
}
"""

ELEMENTWISE_CPP = TIMER + r"""
#include <cstdlib>
__attribute__((noinline)) void saxpy(int n, float a, const float* x, float* y) {
    for (int i = 0; i < n; ++i) y[i] = a * x[i] + y[i];
}
int main(int argc, char** argv) {
    int n = 1 << 20, reps = atoi(argv[1]);
    std::vector<float> x(n), y(n, 1.0f);
    for (int i = 0; i < n; ++i) x[i] = i % 7;
    double ms = median_ms(reps, [&] { saxpy(n, 0.5f, x.data(), y.data()); });
    std::printf("%.4f %f\n", ms, y[n - 1]);
}
"""

MATMUL_CU = TIMER + r"""
#define TILE 16
__global__ void tiled(int n, const float* A, const float* B, float* C) {
    __shared__ float As[TILE][TILE];
    __shared__ float Bs[TILE][TILE];
    int row = blockIdx.y * TILE + threadIdx.y, col = blockIdx.x * TILE + threadIdx.x;
    float acc = 0.0f;
    for (int t = 0; t < n / TILE; ++t) {
        As[threadIdx.y][threadIdx.x] = A[row * n + t * TILE + threadIdx.x];
        Bs[threadIdx.y][threadIdx.x] = B[(t * TILE + threadIdx.y) * n + col];
        __syncthreads();
        for (int p = 0; p < TILE; ++p) acc += As[threadIdx.y][p] * Bs[p][threadIdx.x];
        __syncthreads();
    }
    C[row * n + col] = acc;
}
int main(int argc, char** argv) {
    int n = 256, reps = atoi(argv[1]);
    float *A, *B, *C;
    cudaMallocManaged(&A, n * n * sizeof(float)); cudaMallocManaged(&B, n * n * sizeof(float));
    cudaMallocManaged(&C, n * n * sizeof(float));
    for (int i = 0; i < n * n; ++i) { A[i] = (i % 13) * 0.1f; B[i] = (i % 7) * 0.2f; }
    dim3 block(TILE, TILE), grid(n / TILE, n / TILE);
    double ms = median_ms(reps, [&] { tiled<<<grid, block>>>(n, A, B, C); cudaDeviceSynchronize(); });
    std::printf("%.4f %f\n", ms, C[n * n - 1]);
}
"""

MATMUL_CPP = TIMER + r"""
#include <cstdlib>
__attribute__((noinline)) void matmul(int n, const float* A, const float* B, float* C) {
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            float acc = 0.0f;
            for (int p = 0; p < n; ++p) acc += A[i * n + p] * B[p * n + j];
            C[i * n + j] = acc;
        }
}
int main(int argc, char** argv) {
    int n = 256, reps = atoi(argv[1]);
    std::vector<float> A(n * n), B(n * n), C(n * n);
    for (int i = 0; i < n * n; ++i) { A[i] = (i % 13) * 0.1f; B[i] = (i % 7) * 0.2f; }
    double ms = median_ms(reps, [&] { matmul(n, A.data(), B.data(), C.data()); });
    std::printf("%.4f %f\n", ms, C[n * n - 1]);
}
"""

BUILDS = {
    "serial C++ -O2": ["-O2"],
    "emulated -O2": ["-O2", "-pthread", "-include", str(HEADER)],
    "emulated -O1 +ASan (verify)": ["-O1", "-fsanitize=address", "-pthread", "-include", str(HEADER)],
}


def build(workdir: Path, name: str, text: str, flags: list[str], cuda: bool) -> Path:
    source = workdir / f"{name}.cpp"
    source.write_text(rewrite(text, f"{name}.cu").text if cuda else text)
    binary = workdir / name
    subprocess.run(["g++", "-std=c++17", "-g", *flags, "-o", str(binary), str(source)], check=True)
    return binary


def run(binary: Path, reps: int) -> tuple[float, str]:
    env = {**os.environ, "ASAN_OPTIONS": "detect_leaks=0"}
    out = subprocess.run([str(binary), str(reps)], capture_output=True, text=True, check=True, env=env).stdout.split()
    return float(out[0]), out[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=7)
    args = parser.parse_args()
    print(f"CUDA CPU execution layer vs serial C++ (medians of {args.reps} runs, "
          f"{os.cpu_count()} cores, TVCUDA_WORKERS={os.environ.get('TVCUDA_WORKERS', 'auto')})")
    workloads = [("1M-element saxpy", ELEMENTWISE_CU, ELEMENTWISE_CPP), ("256^3 tiled matmul", MATMUL_CU, MATMUL_CPP)]
    with tempfile.TemporaryDirectory(prefix="tv-bench-cuda-") as tmp:
        workdir = Path(tmp)
        for title, cu_text, cpp_text in workloads:
            results = {}
            for label, flags in BUILDS.items():
                cuda = label.startswith("emulated")
                binary = build(workdir, f"w{len(results)}", cu_text if cuda else cpp_text, flags, cuda)
                results[label] = run(binary, args.reps)
            baseline, check = results["serial C++ -O2"]
            print(f"\n{title}")
            for label, (ms, value) in results.items():
                agree = "" if value == check else f"  (result {value} != {check})"
                print(f"  {label:30s} {ms:10.3f} ms   {ms / baseline:8.2f}x serial{agree}")


if __name__ == "__main__":
    main()
