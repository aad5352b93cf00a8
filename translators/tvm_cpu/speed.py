"""Measured speed of a TVM translation against naive CPU translations, on the same inputs.

Each version is its own small program (so OpenMP's spinning threads and OpenBLAS's never
share a process), built with g++ -O3 -march=native and run with the same inputs at the
same shape, OMP_NUM_THREADS=threads and OMP_WAIT_POLICY=passive; each prints the median
of REPS timed calls after a warm-up.

  tvm       the emitted C++ (-fopenmp)
  openmp    the rule translation (translators/cuda_cpu, through the registry), -fopenmp:
            the naive OpenMP translation
  serial    the same rule translation run on one thread (OMP_NUM_THREADS=1; it may call the
            OpenMP run time, so it is not built without -fopenmp): the naive serial one
  openblas  cblas_sgemm, for float32 GEMM-shaped kernels when OpenBLAS is installed

With fast_math the tvm version is built with -ffast-math as well (the flags it was verified
with); the naive translations keep the flags above, as they were verified without it.

`measure()` returns {"shape", "threads", "ms": {...}, "speedup": {"vs_serial", "vs_openmp",
"vs_openblas"}, "flags": {version: its g++ flags}}; a version that cannot be built or run is
left out (its reason in "notes").
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .emit import C_TYPES
from .ir import Bin, Const, Load, StageRef, Sym, to_poly

REPS = 7
BUILD_TIMEOUT = 180.0
RUN_TIMEOUT = 120.0
CXX = ["g++", "-std=c++17", "-O3", "-march=native", "-w"]

_DRIVER = r"""
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>
PRELUDE
int main(int argc, char** argv) {
    int reps = argc > 1 ? std::atoi(argv[1]) : 5;
    std::mt19937 gen(3);
    std::uniform_real_distribution<double> dist(-1.0, 1.0);
SETUP
    auto call = [&] { CALL; };
    call();
    const int batch = BATCH;  // calls per sample: a small kernel's call is shorter than the clock's resolution
    std::vector<double> t;
    for (int r = 0; r < reps; ++r) {
        auto start = std::chrono::steady_clock::now();
        for (int b = 0; b < batch; ++b) {
            call();
            ESCAPE  // the arrays are read as far as the compiler knows: no store of a call is dead
        }
        t.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() / batch);
    }
    std::sort(t.begin(), t.end());
    std::printf("%.9f\n", t[t.size() / 2]);
    return 0;
}
"""


def openblas_available() -> bool:
    return any(Path(p).is_file() for p in ("/usr/include/cblas.h", "/usr/include/x86_64-linux-gnu/cblas.h",
                                           "/usr/include/openblas/cblas.h")) and shutil.which("g++") is not None


def gemm_layout(lifted) -> dict | None:
    """{"A", "B", "C", "m", "n", "k", "transb"} when the kernel is C[i*n+j] = sum_p A[i*k+p] * B[p*n+j]
    in float32, or with B stored n x k (B[j*k+p], "transb": True), row-major, sizes that are scalar
    parameters; else None."""
    if len(lifted.stages) != 1 or len(lifted.outputs) != 1:
        return None
    stage, out = lifted.stages[0], lifted.outputs[0]
    if stage.op != "sum" or stage.dtype != "float32" or stage.inner or stage.where is not None or len(stage.axes) != 2 \
            or len(out.axes) != 2:
        return None
    value = out.value
    if isinstance(value, Bin) and value.op == "+" and isinstance(value.a, Const) and value.a.value == 0:
        value = value.b  # the accumulator's initial 0.0f
    if not (isinstance(value, StageRef) and tuple(value.axes) == tuple(out.axes) == tuple(stage.axes)):
        return None
    e = stage.expr
    if not (isinstance(e, Bin) and e.op == "*" and isinstance(e.a, Load) and isinstance(e.b, Load)):
        return None
    i, j = out.axes
    m, n = lifted.extents[i], lifted.extents[j]
    if not (isinstance(m, Sym) and isinstance(n, Sym) and isinstance(stage.hi, Sym)):
        return None
    k = stage.hi
    p = stage.reduce
    if to_poly(stage.lo) not in ({},):
        return None
    want_a = {tuple(sorted((i, k.name))): 1, (p,): 1}
    want_b = {tuple(sorted((p, n.name))): 1, (j,): 1}
    want_bt = {tuple(sorted((j, k.name))): 1, (p,): 1}  # B stored n x k: C = A·Bᵀ
    got_a, got_b = to_poly(e.a.index), to_poly(e.b.index)
    if got_a != want_a or got_b not in (want_b, want_bt):
        return None
    return {"A": e.a.buffer, "B": e.b.buffer, "C": out.buffer, "m": m.name, "n": n.name, "k": k.name,
            "transb": got_b == want_bt}


def measure(source: Path, entry: str, code: str, host, lifted, values: dict[str, int], threads: int,
            reps: int = REPS, cancel=None, lengths: dict | None = None, gemm: dict | None = None,
            fast_math: bool = False) -> dict:
    """lifted: the lifted kernel (array lengths and the GEMM layout come from it), or None with
    `lengths` (array -> elements) and `gemm` (gemm_layout's form, or None) given."""
    from ..registry import RulesUnavailable, run_rules
    from .bounds import buffer_lengths

    if lifted is not None:
        lengths = buffer_lengths(lifted, values)
        gemm = gemm_layout(lifted)
    setup, arguments = _setup(host, values, lengths)
    batch = calls_per_sample(lengths)
    report = {"shape": dict(values), "threads": threads, "reps": reps, "calls_per_sample": batch, "ms": {},
              "speedup": {}, "flags": {},
              "notes": []}
    folder = Path(tempfile.mkdtemp(prefix="transverify-speed-"))
    try:
        tvm_flags = ["-fopenmp", "-ffast-math"] if fast_math else ["-fopenmp"]
        variants = [("tvm", code, tvm_flags, f"{entry}({arguments})", threads)]
        try:
            rules = run_rules("cuda", "cpu", Path(source), entry)
        except RulesUnavailable as exc:
            rules = None
            report["notes"].append(f"no naive translation: {exc}")
        if rules is not None and rules.code:
            variants.append(("openmp", rules.code, ["-fopenmp"], f"{entry}({arguments})", threads))
            variants.append(("serial", rules.code, ["-fopenmp"], f"{entry}({arguments})", 1))
        elif rules is not None:
            report["notes"].append("no naive translation: the rule translator does not cover this kernel")
        if gemm is not None and openblas_available():
            transb = gemm.get("transb", False)
            blas_call = (f"cblas_sgemm(CblasRowMajor, CblasNoTrans, {'CblasTrans' if transb else 'CblasNoTrans'}, "
                         f"{gemm['m']}, {gemm['n']}, {gemm['k']}, 1.0f, {gemm['A']}, {gemm['k']}, {gemm['B']}, "
                         f"{gemm['k'] if transb else gemm['n']}, 0.0f, {gemm['C']}, {gemm['n']})")
            variants.append(("openblas", "#include <cblas.h>\n", ["-lopenblas"], blas_call, threads))
        for name, text, flags, call, version_threads in variants:
            if cancel is not None and cancel.is_set():
                break
            ms, why = _time(folder / name, text, flags, setup, call, version_threads, reps, batch,
                            [p.name for p in host.params if p.pointer])
            if ms is None:
                report["notes"].append(f"{name}: {why}")
            else:
                report["ms"][name] = _rounded(ms)
                report["flags"][name] = " ".join([*CXX[1:], *flags])
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    tvm_ms = report["ms"].get("tvm")
    if tvm_ms:
        for key, name in (("vs_serial", "serial"), ("vs_openmp", "openmp"), ("vs_openblas", "openblas")):
            if report["ms"].get(name):
                report["speedup"][key] = round(report["ms"][name] / tvm_ms, 3)
    return report


def _setup(host, values: dict[str, int], lengths: dict[str, int]) -> tuple[str, str]:
    lines, arguments = [], []
    for param in host.params:
        ctype = C_TYPES.get(param.dtype)
        if ctype is None:
            raise ValueError(f"parameter '{param.name}' of type {param.type_text} has no timing input")
        if param.pointer:
            size = lengths.get(param.name, 1)
            fill = f"static_cast<{ctype}>(dist(gen))" if ctype in ("float", "double") else "0"
            lines.append(f"    std::vector<{ctype}> {param.name}_v({size}); "
                         f"for (auto& v : {param.name}_v) v = {fill};")
            lines.append(f"    {ctype}* {param.name} = {param.name}_v.data();")
        elif param.name in values:
            lines.append(f"    {ctype} {param.name} = {values[param.name]};")
        else:
            lines.append(f"    {ctype} {param.name} = static_cast<{ctype}>(0.5);")
        arguments.append(param.name)
    return "\n".join(lines), ", ".join(arguments)


def calls_per_sample(lengths: dict[str, int]) -> int:
    """The same for every version of a kernel: up to 64 calls a sample when the arrays are small
    (65536 elements in all give 1), so a call of a few nanoseconds is still measured."""
    return max(1, min(64, 65536 // max(1, sum(lengths.values()))))


def _rounded(ms: float) -> float:
    """Four significant digits: a small kernel's nanoseconds are not rounded away to 0 ms."""
    return float(f"{ms:.4g}") if ms > 0 else ms


def _time(folder: Path, text: str, flags: list[str], setup: str, call: str, threads: int, reps: int,
          batch: int = 1, arrays: list[str] = ()):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "version.cpp").write_text(text, encoding="utf-8")
    escape = " ".join(f'asm volatile("" : : "g"({name}) : "memory");' for name in arrays) or \
        'asm volatile("" : : : "memory");'
    driver = _DRIVER.replace("PRELUDE", '#include "version.cpp"').replace("SETUP", setup).replace("CALL", call) \
        .replace("BATCH", str(batch)).replace("ESCAPE", escape)
    (folder / "driver.cpp").write_text(driver, encoding="utf-8")
    link = [f for f in flags if f.startswith("-l")]
    compile_flags = [f for f in flags if not f.startswith("-l")]
    try:
        built = subprocess.run([*CXX, *compile_flags, "driver.cpp", "-o", "timing", *link], cwd=folder,
                               capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    except subprocess.TimeoutExpired:
        return None, "the build timed out"
    if built.returncode != 0:
        return None, "g++: " + ((built.stderr.strip().splitlines() or ["failed"])[0])
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), OMP_WAIT_POLICY="passive",
               OPENBLAS_NUM_THREADS=str(threads))
    try:
        ran = subprocess.run([str(folder / "timing"), str(reps)], capture_output=True, text=True,
                             timeout=RUN_TIMEOUT, env=env)
    except subprocess.TimeoutExpired:
        return None, f"ran more than {RUN_TIMEOUT:.0f} s"
    if ran.returncode != 0:
        return None, f"exit status {ran.returncode}"
    try:
        return float(ran.stdout.split()[0]), None
    except (IndexError, ValueError):
        return None, "no timing printed"
