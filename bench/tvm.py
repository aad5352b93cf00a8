"""Speed of the TVM CPU equivalents (translate --solver tvm) against naive C++ in the same run.

For each kernel: a naive serial C++ loop nest, the same with `#pragma omp parallel for`
on its outer loop, and the C++ that `--solver tvm` emits with its default schedule from
the .cu.  All three are built into one program (g++ -O3 -march=native -fopenmp), run with
2 threads and OMP_WAIT_POLICY=passive; each is timed REPS times after a warm-up and the
median (ms) is printed with speed-ups over naive serial and naive OpenMP.  The outputs of
the three versions are compared (largest relative difference) so a fast wrong answer shows.

Run: .venv/bin/python bench/tvm.py [--reps 5] [--quick]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

# This file is named tvm.py: keep its folder off the import path so `import tvm` finds apache-tvm.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples" / "cuda"
KERNELS = REPO / "tests" / "tvm" / "kernels"

# name, .cu, entry, size arguments (C++), naive body over those arguments (serial; OpenMP adds a pragma)
CASES = [
    ("matmul 256^3", EXAMPLES / "matmul" / "matmul.cu", "matmul", dict(m=256, n=256, k=256),
     "void NAME(int m, int n, int k, const float* A, const float* B, float* C) {\n PRAGMA\n"
     " for (int i = 0; i < m; ++i) for (int j = 0; j < n; ++j) { float s = 0.0f;\n"
     "  for (int p = 0; p < k; ++p) s += A[i * k + p] * B[p * n + j]; C[i * n + j] = s; } }",
     "A:m*k,B:k*n", "C:m*n"),
    ("matmul 512^3", EXAMPLES / "matmul" / "matmul.cu", "matmul", dict(m=512, n=512, k=512), None, "A:m*k,B:k*n",
     "C:m*n"),
    ("row softmax 4096x1024", KERNELS / "softmax_rows.cu", "softmax_rows", dict(rows=4096, cols=1024),
     "void NAME(int rows, int cols, const float* x, float* y) {\n PRAGMA\n"
     " for (int r = 0; r < rows; ++r) { const float* row = x + r * cols; float m = -INFINITY;\n"
     "  for (int c = 0; c < cols; ++c) m = fmaxf(m, row[c]); float s = 0.0f;\n"
     "  for (int c = 0; c < cols; ++c) s += expf(row[c] - m);\n"
     "  for (int c = 0; c < cols; ++c) y[r * cols + c] = expf(row[c] - m) / s; } }",
     "x:rows*cols", "y:rows*cols"),
    ("5-point stencil 2048^2", EXAMPLES / "jacobi2d" / "jacobi2d.cu", "jacobi2d", dict(ny=2048, nx=2048),
     "void NAME(int ny, int nx, const float* u, float* v) {\n PRAGMA\n"
     " for (int j = 0; j < ny; ++j) for (int i = 0; i < nx; ++i) { int k = j * nx + i;\n"
     "  if (j == 0 || i == 0 || j == ny - 1 || i == nx - 1) v[k] = u[k];\n"
     "  else v[k] = 0.25f * (u[k - 1] + u[k + 1] + u[k - nx] + u[k + nx]); } }",
     "u:ny*nx", "v:ny*nx"),
    ("saxpy 16M", EXAMPLES / "saxpy" / "saxpy.cu", "saxpy", dict(n=16 * 1024 * 1024),
     "void NAME(int n, float a, const float* x, float* y) {\n PRAGMA\n"
     " for (int i = 0; i < n; ++i) y[i] = a * x[i] + y[i]; }",
     "x:n", "y:n"),
]
CASES[1] = CASES[1][:4] + (CASES[0][4],) + CASES[1][5:]

DRIVER = r"""
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <random>
#include <vector>
NAIVE_SERIAL
NAIVE_OMP
#define ENTRY tvm_entry
#include "tvm_version.cpp"
#undef ENTRY
template <class F> double median_ms(int reps, F f) {
    f();
    std::vector<double> t;
    for (int r = 0; r < reps; ++r) {
        auto a = std::chrono::steady_clock::now();
        f();
        t.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - a).count());
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}
int main(int argc, char** argv) {
    int reps = argc > 1 ? atoi(argv[1]) : 5;
    SIZES
    std::mt19937 gen(1);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    INPUTS
    std::vector<float> out_s(OUT_SIZE), out_o(OUT_SIZE), out_t(OUT_SIZE);
    auto reset = [&](std::vector<float>& o) { std::mt19937 g(2); for (auto& v : o) v = dist(g); };
    reset(out_s); reset(out_o); reset(out_t);
    // In/out arrays (saxpy's y) keep changing while timed; values stay finite for these reps.
    double ts = median_ms(reps, [&] { naive_serial(CALL_S); });
    double to = median_ms(reps, [&] { naive_omp(CALL_O); });
    double tt = median_ms(reps, [&] { tvm_entry(CALL_T); });
    reset(out_s); naive_serial(CALL_S); reset(out_t); tvm_entry(CALL_T);
    double diff = 0;
    for (size_t i = 0; i < out_s.size(); ++i)
        diff = std::max(diff, (double)std::fabs(out_s[i] - out_t[i]) / std::max(1.0, (double)std::fabs(out_s[i])));
    printf("%f %f %f %g\n", ts, to, tt, diff);
}
"""


def run_case(name, cu, entry, sizes, naive, inputs, output, reps, folder: Path):
    from transverify.translators.tvm_cpu.solver import generate

    code = generate(cu).code.replace(f"void {entry}(", "void ENTRY(", 1)
    (folder / "tvm_version.cpp").write_text(code)
    params = naive[naive.index("(") + 1:naive.index(")")]
    args = ", ".join(p.split()[-1].lstrip("*") for p in params.split(","))
    out_name, out_size = output.split(":")
    input_code = []
    for spec in inputs.split(","):
        buf, size = spec.split(":")
        input_code.append(f"std::vector<float> {buf}_v({size}); for (auto& v : {buf}_v) v = dist(gen); "
                          f"const float* {buf} = {buf}_v.data();")
    scalars = "".join(f"int {k} = {v}; " for k, v in sizes.items())
    if "float a" in params:
        scalars += "float a = 1.5f; "

    call_s = ", ".join("out_s.data()" if a == out_name else a for a in args.split(", "))
    call_o = ", ".join("out_o.data()" if a == out_name else a for a in args.split(", "))
    call_t = ", ".join("out_t.data()" if a == out_name else a for a in args.split(", "))
    driver = (DRIVER.replace("NAIVE_SERIAL", naive.replace("NAME", "naive_serial").replace("PRAGMA", ""))
              .replace("NAIVE_OMP", naive.replace("NAME", "naive_omp").replace("PRAGMA", "#pragma omp parallel for"))
              .replace("SIZES", scalars).replace("INPUTS", "\n    ".join(input_code))
              .replace("OUT_SIZE", out_size).replace("CALL_S", call_s).replace("CALL_O", call_o)
              .replace("CALL_T", call_t))
    (folder / "driver.cpp").write_text(driver)
    exe = folder / "bench"
    subprocess.run(["g++", "-std=c++17", "-O3", "-march=native", "-fopenmp", str(folder / "driver.cpp"), "-o",
                    str(exe)], check=True)
    env = dict(os.environ, OMP_NUM_THREADS="2", OMP_WAIT_POLICY="passive")
    out = subprocess.run([str(exe), str(reps)], capture_output=True, text=True, check=True, env=env).stdout.split()
    return [float(x) for x in out]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="skip matmul 512^3")
    opts = parser.parse_args()
    print(f"{'kernel':26} {'serial ms':>10} {'OpenMP ms':>10} {'TVM ms':>10} {'vs serial':>10} {'vs OpenMP':>10} "
          f"{'max rel diff':>12}")
    for case in CASES:
        if opts.quick and "512" in case[0]:
            continue
        with tempfile.TemporaryDirectory(prefix="tv-bench-tvm-") as tmp:
            ts, to, tt, diff = run_case(*case, reps=opts.reps, folder=Path(tmp))
        print(f"{case[0]:26} {ts:10.2f} {to:10.2f} {tt:10.2f} {ts / tt:9.1f}x {to / tt:9.2f}x {diff:12.1e}")
    print("(2 threads, OMP_WAIT_POLICY=passive, g++ -O3 -march=native -fopenmp; medians of the same run)")


if __name__ == "__main__":
    main()
