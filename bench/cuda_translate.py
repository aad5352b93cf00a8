"""The CUDA rule translators: how fast their CPU translations run, and how fast they translate.

1. Run time of CUDA -> CPU translations (g++ -O3 -fopenmp, all cores) against the serial
   C++ reference of the same kernel (g++ -O3, one core), in the same run, on the same
   inputs: medians of REPS calls of the entry function, and the speed-up serial / parallel
   next to the number of cores (goal on data-parallel kernels: >= 0.7 x cores).  Where the
   rules recognised an idiom (a reduction, a histogram, a tiled GEMM, an element loop), the
   literal translation (threads of a block as loops, split at barriers) is timed too.  The
   per-core column compares CPU times (the serial loop's and the translation's on one OpenMP
   thread), which stay meaningful when other processes load the machine; the load average is
   printed before and after.
2. The translators' own time per kernel (median of 5, in-process): CUDA -> CPU over every
   .cu of examples/cuda and examples/cuda_rules, C++ -> CUDA over every .cpp.

Run: .venv/bin/python bench/cuda_translate.py [--reps 5] [--only saxpy,matmul]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples" / "cuda"
RULES_CORPUS = REPO / "examples" / "cuda_rules"

# kernel -> (prototype, setup with sizes and inputs, the call)
WORKLOADS = {
    "saxpy": ("void saxpy(int, float, const float*, float*);",
              "const int n = 1 << 23; std::vector<float> x(n, 0.5f), y(n, 1.0f);",
              "saxpy(n, 2.0f, x.data(), y.data())"),
    "relu2d": ("void relu2d(int, int, double, const double*, double*);",
               "const int rows = 2048, cols = 2048; std::vector<double> x(rows * cols, -0.25), y(rows * cols);",
               "relu2d(rows, cols, 1.5, x.data(), y.data())"),
    "jacobi2d": ("void jacobi2d(int, int, const float*, float*);",
                 "const int ny = 2048, nx = 2048; std::vector<float> u(ny * nx, 1.0f), v(ny * nx);",
                 "jacobi2d(ny, nx, u.data(), v.data())"),
    "matmul": ("void matmul(int, int, int, const float*, const float*, float*);",
               "const int m = 384, n = 384, k = 384; std::vector<float> A(m * k, 0.5f), B(k * n, 0.25f), C(m * n);",
               "matmul(m, n, k, A.data(), B.data(), C.data())"),
    "tiled_matmul": ("void tiled_matmul(int, const float*, const float*, float*);",
                     "const int n = 384; std::vector<float> A(n * n, 0.5f), B(n * n, 0.25f), C(n * n);",
                     "tiled_matmul(n, A.data(), B.data(), C.data())"),
    "softmax": ("void softmax(int, int, const float*, float*);",
                "const int rows = 2048, cols = 1024; std::vector<float> x(rows * cols, 0.1f), y(rows * cols);",
                "softmax(rows, cols, x.data(), y.data())"),
    "reduce_sum": ("float reduce_sum(int, const float*);",
                   "const int n = 1 << 23; std::vector<float> x(n, 0.5f); volatile float sink = 0;",
                   "sink = reduce_sum(n, x.data())"),
    "warp_reduce": ("float warp_reduce(int, const float*);",
                    "const int n = 1 << 23; std::vector<float> x(n, 0.5f); volatile float sink = 0;",
                    "sink = warp_reduce(n, x.data())"),
    "dot": ("double dot(int, const double*, const double*);",
            "const int n = 1 << 22; std::vector<double> x(n, 0.5), y(n, 0.25); volatile double sink = 0;",
            "sink = dot(n, x.data(), y.data())"),
    "count_positive": ("int count_positive(int, const float*);",
                       "const int n = 1 << 23; std::vector<float> x(n); for (int i = 0; i < n; ++i) "
                       "x[i] = (i % 3) - 1.0f; volatile int sink = 0;",
                       "sink = count_positive(n, x.data())"),
    "gemv_warp": ("void gemv(int, int, const float*, const float*, float*);",
                  "const int m = 2048, n = 2048; std::vector<float> A(m * n, 0.5f), x(n, 0.25f), y(m);",
                  "gemv(m, n, A.data(), x.data(), y.data())"),
    "histogram": ("void histogram(int, int, const int*, int*);",
                  "const int n = 1 << 23, nbins = 64; std::vector<int> data(n), hist(nbins); "
                  "for (int i = 0; i < n; ++i) data[i] = (int)((i * 7919LL) % 1000);",
                  "histogram(n, nbins, data.data(), hist.data())"),
}

# kernels of the rule corpus: name -> (CUDA source, serial C++ reference); the others are
# examples/cuda/<name>/<name>.cu and .cpp
CORPUS_SOURCES = {"gemv_warp": (RULES_CORPUS / "gemv_warp_cu.cu", RULES_CORPUS / "gemv.cpp")}

DRIVER = r"""
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <vector>
{prototype}
int main() {{
    {setup}
    std::vector<double> times, cpu_times;  // wall clock; CPU time of the process (all its threads)
    for (int r = 0; r < {reps}; ++r) {{
        auto start = std::chrono::steady_clock::now();
        std::clock_t cpu_start = std::clock();
        {call};
        cpu_times.push_back(1000.0 * (std::clock() - cpu_start) / CLOCKS_PER_SEC);
        times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }}
    std::sort(times.begin(), times.end());
    std::sort(cpu_times.begin(), cpu_times.end());
    std::printf("%.3f %.3f\n", times[times.size() / 2], cpu_times[cpu_times.size() / 2]);
}}
"""


def _build_and_time(work: Path, name: str, source: Path, flags: list[str], spec, reps: int, env: dict,
                    single_env: dict | None = None) -> tuple[float, float] | tuple[tuple[float, float], float]:
    """(median wall ms, median CPU ms); with `single_env`, also the median CPU ms of the same binary
    run on one OpenMP thread (on one thread, CPU time is the wall time minus the waits for a
    time slice that other processes on the machine cause)."""
    prototype, setup, call = spec
    driver = work / f"{name}_driver.cpp"
    driver.write_text(DRIVER.format(prototype=prototype, setup=setup, call=call, reps=reps))
    exe = work / name
    subprocess.run(["g++", "-std=c++17", "-O3", "-march=native", *flags, str(source), str(driver), "-o", str(exe)],
                   check=True, capture_output=True, text=True)
    out = subprocess.run([str(exe)], check=True, capture_output=True, text=True, env=env, timeout=600)
    wall, cpu = (float(v) for v in out.stdout.split())
    if single_env is None:
        return wall, cpu
    single = subprocess.run([str(exe)], check=True, capture_output=True, text=True, env=single_env, timeout=600)
    return (wall, cpu), float(single.stdout.split()[1])


def run_times(reps: int, only: set[str] | None) -> None:
    from transverify.translators.cuda_cpu import translate_file
    from transverify.translators.cuda_cpu.driver import translate as translate_text

    cores = os.cpu_count() or 1
    print(f"1. CPU translations vs serial -O3 (medians of {reps} calls, ms; {cores} cores; "
          f"load average {os.getloadavg()[0]:.1f} at the start)")
    print("   (1 thread: CPU time of the translation on one OpenMP thread; ratio: the serial loop's CPU time / that,")
    print("    the per-core efficiency, which load from other processes distorts far less than wall times)")
    print(f"{'kernel':<16}{'serial':>9}{'translated':>12}{'speed-up':>10}{'goal':>7}{'1 thread':>10}{'ratio':>8}"
          f"{'literal':>10}{'speed-up':>10}  idiom")
    env = dict(os.environ, OMP_NUM_THREADS=str(cores))
    single_env = dict(os.environ, OMP_NUM_THREADS="1")
    with tempfile.TemporaryDirectory(prefix="bench-cuda-translate-") as tmp:
        work = Path(tmp)
        for name, spec in WORKLOADS.items():
            if only and name not in only:
                continue
            default = (EXAMPLES / name / f"{name}.cu", EXAMPLES / name / f"{name}.cpp")
            source, reference = CORPUS_SOURCES.get(name, default)
            result = translate_file(source)
            if result.code is None:
                print(f"{name:<14}  not translated: {result.unsupported}")
                continue
            translated = work / f"{name}_cpu.cpp"
            translated.write_text(result.code)
            idioms = [n.split("idiom recognised: ")[1].split(" -> ")[0].split(" (")[0]
                      for n in result.notes if "idiom recognised: " in n]
            serial, serial_cpu = _build_and_time(work, f"{name}_serial", reference, [], spec, reps, env)
            (parallel, _), single = _build_and_time(work, f"{name}_omp", translated, ["-fopenmp"], spec, reps, env,
                                               single_env)
            literal_text = "-"
            literal_ratio = "-"
            if any(i != "one thread per element" for i in idioms):
                literal = work / f"{name}_literal.cpp"
                literal.write_text(translate_text(source.read_text(), source.name, idioms=False).code)
                literal_ms, _ = _build_and_time(work, f"{name}_literal", literal, ["-fopenmp"], spec, reps, env)
                literal_text, literal_ratio = f"{literal_ms:.2f}", f"{serial / literal_ms:.2f}x"
            print(f"{name:<16}{serial:>9.2f}{parallel:>12.2f}{serial / parallel:>9.2f}x{0.7 * cores:>6.1f}x"
                  f"{single:>10.2f}{serial_cpu / single:>7.2f}x{literal_text:>10}{literal_ratio:>10}  {', '.join(idioms) or '-'}")
    print(f"   (load average {os.getloadavg()[0]:.1f} at the end: other processes share these cores)")


def translator_times() -> None:
    from transverify.translators.cpp_cuda import translate_file as to_cuda
    from transverify.translators.cuda_cpu import translate_file as to_cpu

    print("\n2. Translator time per kernel (median of 5, ms)")
    rows = []
    sources = [f / f"{f.name}.cu" for f in sorted(EXAMPLES.iterdir()) if f.is_dir()] + sorted(RULES_CORPUS.glob("*.cu"))
    sources += [f / f"{f.name}.cpp" for f in sorted(EXAMPLES.iterdir()) if f.is_dir()] + \
        sorted(RULES_CORPUS.glob("*.cpp"))
    for source in sources:
        translate = to_cpu if source.suffix == ".cu" else to_cuda
        samples = []
        for _ in range(5):
            start = time.perf_counter()
            result = translate(source)
            samples.append((time.perf_counter() - start) * 1000)
        status = "ok" if result.code is not None else "refused"
        rows.append((f"{source.parent.name}/{source.name}", "cpu" if source.suffix == ".cu" else "cuda",
                     statistics.median(samples), status))
    for name, target, ms, status in rows:
        print(f"{name:<44}{'-> ' + target:<9}{ms:>8.1f}  {status}")
    by_target = {t: [ms for _, tt, ms, _ in rows if tt == t] for t in ("cpu", "cuda")}
    for target, values in by_target.items():
        print(f"median over {len(values)} kernels -> {target}: {statistics.median(values):.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--only", help="comma-separated kernels of part 1")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    run_times(args.reps, set(args.only.split(",")) if args.only else None)
    translator_times()


if __name__ == "__main__":
    main()
