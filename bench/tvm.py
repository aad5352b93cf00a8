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
Run it twice: the second run finds the tuning records in the cache (no tuning, same code;
the code's digest is printed to show it). With --fast-math, each kernel's TVM default code is
also timed built with -ffast-math (as `translate --solver tvm --fast-math` verifies it), in the
same run, and its ratio to the plain build is printed.

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

# name, .cu, shape (integer parameters), tuned by default
CASES = [
    ("matmul 256^3", EXAMPLES / "matmul" / "matmul.cu", dict(m=256, n=256, k=256), True),
    ("matmul 512^3", EXAMPLES / "matmul" / "matmul.cu", dict(m=512, n=512, k=512), False),
    ("gemm template 512^3", EXAMPLES / "tiled_matmul" / "tiled_matmul.cu", dict(n=512), False),
    ("row softmax 4096x1024", KERNELS / "softmax_rows.cu", dict(rows=4096, cols=1024), False),
    ("5-point stencil 2048^2", EXAMPLES / "jacobi2d" / "jacobi2d.cu", dict(ny=2048, nx=2048), False),
    ("saxpy 16M", EXAMPLES / "saxpy" / "saxpy.cu", dict(n=16 * 1024 * 1024), False),
]


def run_case(name, cu, shape, tune: bool, trials: int, reps: int, fast_math: bool = False) -> None:
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
        base = measure(cu, default.entry, default.code, default.host, default.lifted, shape, threads, reps)
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
    if fast_math and ms.get("tvm") and "template" not in name:
        fast = measure(cu, default.entry, default.code, default.host, default.lifted, shape, threads, reps,
                       fast_math=True)["ms"].get("tvm")
        if fast:
            words = [f"{ms['tvm'] / fast:.2f}x the plain build"]
            if serial:
                words.append(f"{serial / fast:.1f}x serial")
            if openmp:
                words.append(f"{openmp / fast:.2f}x OpenMP")
            print(f"{'':24} TVM default -ffast-math: {fast:.2f} ms ({', '.join(words)})", flush=True)


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
    parser.add_argument("--quick", action="store_true", help="skip matmul 512^3")
    parser.add_argument("--fast-math", action="store_true", help="also time the TVM default code with -ffast-math")
    parser.add_argument("--only", help="only the kernels whose name contains this, e.g. softmax")
    opts = parser.parse_args()
    os.environ.setdefault("OMP_WAIT_POLICY", "passive")
    print(f"{'kernel':24} {'serial ms':>10} {'OpenMP ms':>10} {'TVM dflt':>10} {'TVM tuned':>10} "
          f"{'OpenBLAS':>10}")
    for name, cu, shape, tuned_by_default in CASES:
        if opts.quick and "512" in name or opts.only and opts.only not in name:
            continue
        tune = opts.tune == "all" or (opts.tune == "matmul256" and tuned_by_default)
        run_case(name, cu, shape, tune, opts.trials, opts.reps, opts.fast_math)
    print("(2 threads, OMP_WAIT_POLICY=passive, g++ -O3 -march=native; medians of the same run; naive = the rule "
          "translation of translators/cuda_cpu, serial = it on one thread)")


if __name__ == "__main__":
    main()
