"""MetaSchedule's builder and runner for tuning: each candidate schedule is emitted as the
C++ the user will get (this package's lowering and printer), built with g++ -O3
-march=native -fopenmp into a small timing program, and run; its run time ranks the
schedule.  So the search ranks schedules on what the user will run, not on TVM's LLVM
build, and no TVM worker pools are started.

With `--fast-math` the candidates are built with verify's fast-math flags as well, so the
ranking is of the fast-math build the user will run (its records are cached apart:
tune_cache.target_key).

A candidate that the printer cannot emit or g++ cannot build fails its build (MetaSchedule
then skips it), so every record in the database is one this package can emit.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

CXX_FLAGS = ["-std=c++17", "-O3", "-march=native", "-fopenmp"]
BUILD_TIMEOUT = 180.0  # s per candidate on a loaded machine
RUN_TIMEOUT = 60.0
SLOW_FACTOR = 4.0  # a first call this many times slower than the best so far ends the timing

_MAIN = r"""
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
int main(int argc, char** argv) {
    // argv[1]: seconds; a candidate whose first call takes longer is reported by that call alone
    double limit = argc > 1 ? std::atof(argv[1]) : 1e30;
    std::mt19937 gen(7);
    std::uniform_real_distribution<double> dist(-1.0, 1.0);
ALLOCATIONS
    auto first = std::chrono::steady_clock::now();
    candidate(ARGUMENTS);  // warm-up
    double warm = std::chrono::duration<double>(std::chrono::steady_clock::now() - first).count();
    if (warm > limit) {
        std::printf("%.9g %.9g\n", warm, warm);
        return 0;
    }
    double total = 0, best = 1e30;
    int runs = 0;
    while (runs < 3 || (total < 0.05 && runs < 200)) {
        auto start = std::chrono::steady_clock::now();
        candidate(ARGUMENTS);
        double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        total += s; best = s < best ? s : best; ++runs;
    }
    std::printf("%.9g %.9g\n", total / runs, best);
    return 0;
}
"""


def candidate_program(mod) -> str:
    """The timing program of one scheduled tuning-form workload (all parameters are arrays)."""
    from tvm.s_tir.meta_schedule.arg_info import ArgInfo

    from .emit import C_TYPES, Printer
    from .prelude import PRELUDE
    from .schedule import lower

    func = lower(mod)
    infos = ArgInfo.from_prim_func(func)
    names = {param.name: f"arg{k}" for k, param in enumerate(func.params)}
    body = Printer(func, names, []).body()
    declarations, allocations, arguments = [], [], []
    for k, info in enumerate(infos):
        ctype = C_TYPES[str(info.dtype)]
        size = 1
        for extent in info.shape:
            size *= int(extent)
        declarations.append(f"{ctype}* arg{k}")
        fill = "static_cast<{0}>(dist(gen))".format(ctype) if ctype in ("float", "double") else "0"
        allocations.append(f"    std::vector<{ctype}> v{k}({size}); for (auto& x : v{k}) x = {fill};")
        arguments.append(f"v{k}.data()")
    function = [f"static void candidate({', '.join(declarations)}) {{", *body, "}"]
    main = _MAIN.replace("ALLOCATIONS", "\n".join(allocations)).replace("ARGUMENTS", ", ".join(arguments))
    return "\n".join([PRELUDE, *function, main])


def build_candidate(mod, folder: Path, extra_flags: tuple[str, ...] = ()) -> tuple[str | None, str | None]:
    """(executable path, None) or (None, why it failed).  extra_flags follow CXX_FLAGS (g++ takes the last
    -O level)."""
    try:
        source = candidate_program(mod)
    except Exception as exc:  # noqa: BLE001 - an unprintable schedule is a failed build, not a crash
        return None, f"emission: {exc}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "candidate.cpp").write_text(source, encoding="utf-8")
    exe = folder / "candidate"
    try:
        done = subprocess.run(["g++", *CXX_FLAGS, *extra_flags, "candidate.cpp", "-o", "candidate"], cwd=folder,
                              capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    except subprocess.TimeoutExpired:
        return None, f"g++ took more than {BUILD_TIMEOUT:.0f} s"
    if done.returncode != 0:
        return None, "g++: " + (done.stderr.strip().splitlines() or ["failed"])[-1]
    return str(exe), None


def run_candidate(exe: str, threads: int, best: float | None = None) -> tuple[list[float] | None, str | None]:
    """([mean run time in s], None) or (None, why it failed).  A candidate whose first call is
    far slower than the best so far (`best`, s) is timed by that call alone: it cannot win, and
    a bad schedule of a large workload can take minutes to time properly."""
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), OMP_WAIT_POLICY="passive")  # as speed.py times
    limit = max(SLOW_FACTOR * best, 0.05) if best else RUN_TIMEOUT
    try:
        done = subprocess.run([exe, f"{limit:.6f}"], capture_output=True, text=True, timeout=RUN_TIMEOUT, env=env)
    except subprocess.TimeoutExpired:
        return None, f"ran more than {RUN_TIMEOUT:.0f} s"
    if done.returncode != 0:
        return None, f"exit status {done.returncode}"
    try:
        mean = float(done.stdout.split()[0])
    except (IndexError, ValueError):
        return None, "no timing printed"
    return [mean], None


def make_builder_runner(work: Path, threads: int, extra_flags: tuple[str, ...] = ()):
    """MetaSchedule Builder and Runner objects over build_candidate/run_candidate."""
    from tvm.ir.utils import derived_object
    from tvm.s_tir.meta_schedule.builder import BuilderResult, PyBuilder
    from tvm.s_tir.meta_schedule.runner import PyRunner, RunnerFuture, RunnerResult

    counter = {"n": 0}
    best = {"s": None}

    @derived_object
    class EmitBuilder(PyBuilder):
        def build(self, build_inputs):
            results = []
            for item in build_inputs:
                counter["n"] += 1
                path, error = build_candidate(item.mod, work / f"c{counter['n']}", extra_flags)
                results.append(BuilderResult(path, error))
            return results

    @derived_object
    class EmitRunner(PyRunner):
        def run(self, runner_inputs):
            futures = []
            for item in runner_inputs:
                secs, error = run_candidate(item.artifact_path, threads, best["s"])
                if secs and (best["s"] is None or secs[0] < best["s"]):
                    best["s"] = secs[0]
                result = RunnerResult(secs, error)
                futures.append(RunnerFuture(lambda: True, lambda r=result: r))
                try:  # the program is not needed again: keep the work folder small
                    Path(item.artifact_path).unlink()
                except OSError:
                    pass
            return futures

    return EmitBuilder(), EmitRunner()
