"""Speed of the TVM CPU equivalents (translate --solver tvm), side by side in one run.

For each kernel, at one shape, on the same inputs, 2 threads (OMP_WAIT_POLICY=passive),
g++ -O3 -march=native, each version its own program, medians of REPS calls:
  naive serial   the rule translation (translators/cuda_cpu) on one thread
  naive OpenMP   the rule translation built with -fopenmp
  TVM default    the emitted C++ with the default schedule (--trials 0); for tiled_matmul.cu
                 the operator template 'gemm' (its default schedule; this bench does not tune templates, `translate --trials N` does)
  TVM tuned      the emitted C++ after MetaSchedule tuning (--trials N), with the trials
                 measured and the tuning time; "cached" when the record came from the cache
  OpenBLAS       cblas_sgemm, for the GEMM kernels
Memory-bound kernels (bytes per call given below) also print the bandwidth each version
reached, next to the STREAM triad (a[i] = b[i] + s*c[i], arrays of 64 MB, 2 threads, STREAM's
count of 12 bytes per element) measured at the start of the same run: a version near the triad
moves its data as fast as this machine's memory allows, and no schedule can beat it by much.
Run it twice: the second run finds the tuning records in the cache (no tuning, same code;
the code's digest is printed to show it). With --fast-math, each kernel's TVM default code is
also timed built with -ffast-math (as `translate --solver tvm --fast-math` verifies it), in the
same run, and its ratio to the plain build is printed. When the default code uses streaming
(non-temporal) stores (docs/tvm.md, *Emission*), it is also timed side by side with the same
code emitted without them and the naive OpenMP translation: one program calling the three in
turn (medians of at least 61 calls each), which a changing load on a shared machine disturbs
alike.

Run: .venv/bin/python bench/tvm.py [--trials 16] [--tune all|matmul256|none] [--quick]
                                   [--fast-math] [--only SUBSTRING]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from pathlib import Path

# This file is named tvm.py: keep its folder off the import path so `import tvm` finds apache-tvm.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples" / "cuda"
KERNELS = REPO / "tests" / "tvm" / "kernels"

# name, .cu, shape (integer parameters), tuned by default, least bytes a call moves (memory-bound ones)
CASES = [
    ("matmul 256^3", EXAMPLES / "matmul" / "matmul.cu", dict(m=256, n=256, k=256), True, None),
    ("matmul 512^3", EXAMPLES / "matmul" / "matmul.cu", dict(m=512, n=512, k=512), False, None),
    # beyond L2: row blocks of A and column panels of B (docs/tvm.md, *Larger GEMMs*)
    ("matmul 1024^3", EXAMPLES / "matmul" / "matmul.cu", dict(m=1024, n=1024, k=1024), False, None),
    ("gemm template 512^3", EXAMPLES / "tiled_matmul" / "tiled_matmul.cu", dict(n=512), False, None),
    # out = inp · weightᵀ: the weight packed first; OpenBLAS with CblasTrans
    ("linear x·Wᵀ 512^3", KERNELS / "gemm_nt_linear.cu", dict(T=512, OC=512, C=512), False, None),
    ("row softmax 4096x1024", KERNELS / "softmax_rows.cu", dict(rows=4096, cols=1024), False, None),
    ("GELU (tanh) 4M", KERNELS / "gelu_tanh.cu", dict(n=4 * 1024 * 1024), False, None),
    # u read, v written
    ("5-point stencil 2048^2", EXAMPLES / "jacobi2d" / "jacobi2d.cu", dict(ny=2048, nx=2048), False, 8 * 2048 * 2048),
    # shared-memory tiled transpose -> the transpose template (in read, out written)
    ("transpose template 4096^2", EXAMPLES / "transpose" / "transpose.cu", dict(rows=4096, cols=4096), False,
     8 * 4096 * 4096),
    # one thread per output, lifted (default schedule)
    ("transpose 4096^2", KERNELS / "transpose_naive.cu", dict(rows=4096, cols=4096), False, 8 * 4096 * 4096),
    # x and y read, y written
    ("saxpy 16M", EXAMPLES / "saxpy" / "saxpy.cu", dict(n=16 * 1024 * 1024), False, 12 * 16 * 1024 * 1024),
    # a host loop of time steps, 2 launches a step (and one before and after): 102 small launches,
    # each below the one-thread threshold, then launches large enough for both threads
    ("time steps 4096 x 50", KERNELS / "hostloop_steps.cu", dict(n=4096, steps=50), False, None),
    ("time steps 1M x 10", KERNELS / "hostloop_steps.cu", dict(n=1024 * 1024, steps=10), False, None),
    # device buffers with no host array: each step zeroes an accumulator (cudaMemset), runs two launches
    # and copies the new state over the old one (cudaMemcpy device to device)
    ("diffusion steps 1M x 10", KERNELS / "buffers_copy_steps.cu", dict(n=1024 * 1024, steps=10), False, None),
]

_TRIAD = r"""
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>
int main() {
    const long n = 16L * 1024 * 1024;
    std::vector<float> a(n), b(n, 1.0f), c(n, 2.0f);
    std::vector<double> t;
    for (int r = 0; r < 21; ++r) {
        auto start = std::chrono::steady_clock::now();
        #pragma omp parallel for simd schedule(static)
        for (long i = 0; i < n; ++i) a[i] = b[i] + 3.0f * c[i];
        t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(t.begin(), t.end());
    std::printf("%.3f %.1f\n", 12.0 * n / t[t.size() / 2] / 1e9, a[n / 2]);
}
"""


def stream_triad_gbs(threads: int) -> float | None:
    """The STREAM triad's bandwidth on this machine now (GB/s, median of 21), or None without g++."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory(prefix="transverify-triad-") as folder:
        source, exe = Path(folder) / "triad.cpp", Path(folder) / "triad"
        source.write_text(_TRIAD)
        built = subprocess.run(["g++", "-std=c++17", "-O3", "-march=native", "-fopenmp", str(source), "-o", str(exe)],
                               capture_output=True, text=True)
        if built.returncode != 0:
            return None
        env = dict(os.environ, OMP_NUM_THREADS=str(threads), OMP_WAIT_POLICY="passive")
        ran = subprocess.run([str(exe)], capture_output=True, text=True, env=env, timeout=120)
        return float(ran.stdout.split()[0]) if ran.returncode == 0 else None


def run_case(name, cu, shape, tune: bool, trials: int, reps: int, fast_math: bool = False,
             moved: int | None = None, triad: float | None = None) -> None:
    from transverify.translators.tvm_cpu.solver import Tuning, generate
    from transverify.translators.tvm_cpu.speed import measure

    threads = 2
    if "template" in name:  # an operator template: recognised (and verified) instead of lifted; its default schedule only
        recognised = _template(cu)
        base = measure(cu, recognised.entry, recognised.code, recognised.host, None, shape, threads, reps,
                       lengths=recognised.lengths_at(shape), gemm=recognised.gemm)
        tune = False
    else:
        default = generate(cu)
        # several launches, a host loop: arrays as long as every launch reaches
        lengths = default.timing_lengths(shape) if default.lifted is None else None
        base = measure(cu, default.entry, default.code, default.host, default.lifted, shape, threads, reps,
                       lengths=lengths)
    ms = base["ms"]
    row = [ms.get("serial"), ms.get("openmp"), ms.get("tvm"), None, ms.get("openblas")]
    tuned_words = "-"
    if tune and trials > 0:
        tuning = Tuning(trials=trials, values={k: str(v) for k, v in shape.items()})
        started = time.monotonic()
        tuned = generate(cu, tuning=tuning, progress=lambda m: print(f"    … {m}", file=sys.stderr))
        wall = time.monotonic() - started
        timed = measure(cu, tuned.entry, tuned.code, tuned.host, tuned.lifted, shape, threads, reps)
        row[3] = timed["ms"].get("tvm")
        record = tuning.record
        digest = hashlib.sha256(tuned.code.encode()).hexdigest()[:10]
        tuned_words = (f"{record.trials} trials, " + (f"cached (replayed in {wall:.1f} s)" if record.cached
                       else f"tuned in {record.seconds:.0f} s") + f", code {digest}")
    cells = " ".join(f"{v:10.2f}" if v else f"{'-':>10}" for v in row)
    serial, openmp, best = row[0], row[1], min(v for v in (row[2], row[3]) if v)
    ratios = []
    if serial:
        ratios.append(f"{serial / best:5.1f}x serial")
    if openmp:
        ratios.append(f"{openmp / best:5.2f}x OpenMP")
    if row[4]:
        ratios.append(f"{row[4] / best:5.2f}x OpenBLAS")
    print(f"{name:24} {cells}   best TVM: {', '.join(ratios)}   tuned: {tuned_words}", flush=True)
    for note in base["notes"]:
        print(f"{'':24} note: {note}")
    if moved:
        rates = [f"{label} {moved / (row[k] * 1e6):.1f} GB/s" for label, k in (("naive OpenMP", 1), ("TVM", 2))
                 if row[k]]
        roof = f"; STREAM triad {triad:.1f} GB/s" if triad else ""
        print(f"{'':24} memory-bound ({moved / 1e6:.0f} MB a call): {', '.join(rates)}{roof}", flush=True)
    if ms.get("tvm") and "template" not in name and "tv_stream_line(" in default.code:
        _streaming_side_by_side(cu, default, shape, threads, max(reps, 61))
    if fast_math and ms.get("tvm") and "template" not in name:
        fast = measure(cu, default.entry, default.code, default.host, default.lifted, shape, threads, reps,
                       lengths=lengths, fast_math=True)["ms"].get("tvm")
        if fast:
            words = [f"{ms['tvm'] / fast:.2f}x the plain build"]
            if serial:
                words.append(f"{serial / fast:.1f}x serial")
            if openmp:
                words.append(f"{openmp / fast:.2f}x OpenMP")
            print(f"{'':24} TVM default -ffast-math: {fast:.2f} ms ({', '.join(words)})", flush=True)


def _without_streaming(cu):
    """The default translation with streaming stores turned off (the threshold out of reach)."""
    from transverify.translators.tvm_cpu.solver import generate

    saved = os.environ.get("TRANSVERIFY_TVM_STREAM_BYTES")
    os.environ["TRANSVERIFY_TVM_STREAM_BYTES"] = str(1 << 62)
    try:
        return generate(cu)
    finally:
        if saved is None:
            del os.environ["TRANSVERIFY_TVM_STREAM_BYTES"]
        else:
            os.environ["TRANSVERIFY_TVM_STREAM_BYTES"] = saved


_SIDE_BY_SIDE = r"""
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <vector>
DECLARATIONS
int main(int, char** argv) {
    const int reps = std::atoi(argv[1]);
    std::mt19937 gen(3);
    std::uniform_real_distribution<double> dist(-1.0, 1.0);
SETUP
    std::vector<double> t[VERSIONS];
    CALLS
    for (auto& v : t) { std::sort(v.begin(), v.end()); std::printf("%.6f\n", v[v.size() / 2]); }
}
"""


def _streaming_side_by_side(cu, default, shape: dict, threads: int, reps: int) -> None:
    """The naive OpenMP translation, the TVM default code without and with streaming stores, built
    into ONE program and called in turn (interleaved, each round in a shuffled order, each version
    with its own arrays), so a load that comes and goes on a shared machine falls on all three
    alike: medians of `reps` calls each."""
    import subprocess
    import tempfile

    from transverify.translators.registry import run_rules
    from transverify.translators.tvm_cpu.bounds import buffer_lengths
    from transverify.translators.tvm_cpu.speed import CXX, _setup

    host, entry = default.host, default.entry
    lengths = buffer_lengths(default.lifted, shape) if default.lifted is not None else \
        default.timing_lengths(shape)
    import re

    setup, arguments = _setup(host, shape, lengths)
    names = "|".join(re.escape(p.name) for p in host.params)

    def own(text: str, k: int) -> str:  # version k's own copy of every array and size
        return re.sub(rf"\b({names})(_v)?\b", lambda m: f"{m.group(1)}_{k}{m.group(2) or ''}", text)

    versions = [("naive OpenMP", run_rules("cuda", "cpu", Path(cu), entry).code),
                ("TVM without streaming stores", _without_streaming(cu).code), ("TVM with them", default.code)]
    declarations = ", ".join(p.declaration for p in host.params)
    linkage = 'extern "C" ' if host.extern_c else ""
    calls = "\n".join(f"            case {k}: {{ auto s = std::chrono::steady_clock::now(); {entry}_v{k}"
                      f"({own(arguments, k)}); t[{k}].push_back(std::chrono::duration<double, std::milli>("
                      f"std::chrono::steady_clock::now() - s).count()); break; }}" for k in range(len(versions)))
    loop = (f"int order[VERSIONS]; for (int k = 0; k < VERSIONS; ++k) order[k] = k;\n"
            f"    for (int r = 0; r <= reps; ++r) {{  // round 0 warms up; each round in a new order\n"
            f"        std::shuffle(order, order + VERSIONS, gen);\n"
            f"        for (int k : order) switch (k) {{\n{calls}\n        }}\n"
            "        if (r == 0) for (auto& v : t) v.clear();\n    }")
    declared = "\n".join(f"{linkage}void {entry}_v{k}({declarations});" for k in range(len(versions)))
    driver = (_SIDE_BY_SIDE.replace("DECLARATIONS", declared)
              .replace("SETUP", "\n".join(own(setup, k) for k in range(len(versions))))
              .replace("CALLS", loop).replace("VERSIONS", str(len(versions))))
    with tempfile.TemporaryDirectory(prefix="transverify-stream-") as folder:
        objects = []
        for k, (_, code) in enumerate(versions):
            (Path(folder) / f"v{k}.cpp").write_text(code)
            built = subprocess.run([*CXX, "-fopenmp", f"-D{entry}={entry}_v{k}", "-c", f"v{k}.cpp", "-o", f"v{k}.o"],
                                   cwd=folder, capture_output=True, text=True)
            if built.returncode != 0:
                print(f"{'':24} side by side: version {k} did not build", flush=True)
                return
            objects.append(f"v{k}.o")
        (Path(folder) / "main.cpp").write_text(driver)
        built = subprocess.run([*CXX, "-fopenmp", "main.cpp", *objects, "-o", "side"], cwd=folder,
                               capture_output=True, text=True)
        if built.returncode != 0:
            print(f"{'':24} side by side: the driver did not build: {built.stderr[:200]}", flush=True)
            return
        env = dict(os.environ, OMP_NUM_THREADS=str(threads), OMP_WAIT_POLICY="passive")
        ran = subprocess.run([str(Path(folder) / "side"), str(reps)], capture_output=True, text=True, env=env,
                             timeout=600)
    if ran.returncode != 0:
        print(f"{'':24} side by side: exit status {ran.returncode}", flush=True)
        return
    naive, plain, streamed = (float(x) for x in ran.stdout.split()[:3])
    print(f"{'':24} side by side, interleaved, medians of {reps}: naive OpenMP {naive:.2f} ms, TVM without "
          f"streaming stores {plain:.2f} ms ({naive / plain:.2f}x OpenMP), with them {streamed:.2f} ms "
          f"({naive / streamed:.2f}x OpenMP, {plain / streamed:.2f}x without)", flush=True)


def _template(cu):
    from transverify.translators.tvm_cpu.templates import recognise
    from transverify.verify import VerifyOptions

    recognised = recognise(cu, None, VerifyOptions(cases=2))
    if recognised.template is None:
        raise SystemExit(f"{cu}: no operator template verified: {recognised.tried_words()}")
    return recognised


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--trials", type=int, default=16, help="MetaSchedule trials for the tuned kernels")
    parser.add_argument("--tune", choices=["matmul256", "all", "none"], default="matmul256")
    parser.add_argument("--quick", action="store_true", help="skip the 512^3 and 1024^3 GEMMs")
    parser.add_argument("--fast-math", action="store_true", help="also time the TVM default code with -ffast-math")
    parser.add_argument("--only", help="only the kernels whose name contains this, e.g. softmax")
    opts = parser.parse_args()
    os.environ.setdefault("OMP_WAIT_POLICY", "passive")
    print(f"{'kernel':24} {'serial ms':>10} {'OpenMP ms':>10} {'TVM dflt':>10} {'TVM tuned':>10} "
          f"{'OpenBLAS':>10}")
    chosen = [case for case in CASES if not (opts.quick and ("512" in case[0] or "1024" in case[0])
                                             or opts.only and opts.only not in case[0])]
    triad = stream_triad_gbs(2) if any(case[4] for case in chosen) else None
    if triad:
        print(f"STREAM triad, 2 threads: {triad:.1f} GB/s")
    for name, cu, shape, tuned_by_default, moved in chosen:
        tune = opts.tune == "all" or (opts.tune == "matmul256" and tuned_by_default)
        run_case(name, cu, shape, tune, opts.trials, opts.reps, opts.fast_math, moved, triad)
    print("(2 threads, OMP_WAIT_POLICY=passive, g++ -O3 -march=native; medians of the same run; naive = the rule "
          "translation of translators/cuda_cpu, serial = it on one thread)")


if __name__ == "__main__":
    main()
