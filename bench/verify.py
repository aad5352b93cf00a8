"""Benchmark: wall time of `transverify verify` on a ~30-line subroutine, as a ratio to the bare
`gfortran -c` + `g++` compile-and-run of the same code, measured in the same run.

    .venv/bin/python bench/verify.py [--repeats N]

Modes, run round-robin so that load on the machine hits all of them alike:
  baseline     gfortran -c kernel.f90; g++ main.cpp kernel.o -lgfortran; ./a.out
               (a hand-written main calling both versions once)
  cli-cold     `transverify verify --json` of a source never verified before (a fresh comment
               makes each one new), so the reference is compiled; toolchain artifacts (the
               precompiled standard headers) are cached, as on any machine after first use
  cli-cached   the same source again: compiled reference (and its outputs) cached
  api-cold     verify() in a running process (editor, translation loop), new source
  api-cached   verify() in a running process, reference cached
Goals (issue 2): cli-cold <= 1.5x baseline, cli-cached <= 0.7x baseline.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KERNEL_F90 = """\
! One explicit step of 1-D advection-diffusion with upwinding and a source term.
subroutine advdiff_step(n, dt, dx, c, nu, u, src, unew, umax)
  implicit none
  integer, intent(in) :: n
  real(8), intent(in) :: dt, dx, c, nu
  real(8), intent(in) :: u(n), src(n)
  real(8), intent(out) :: unew(n)
  real(8), intent(out) :: umax
  integer :: i
  real(8) :: adv, dif, left, right

  umax = 0.0d0
  do i = 1, n
    if (i > 1) then
      left = u(i - 1)
    else
      left = u(n)
    end if
    if (i < n) then
      right = u(i + 1)
    else
      right = u(1)
    end if
    if (c >= 0.0d0) then
      adv = c * (u(i) - left) / dx
    else
      adv = c * (right - u(i)) / dx
    end if
    dif = nu * (left - 2.0d0 * u(i) + right) / (dx * dx)
    unew(i) = u(i) + dt * (dif - adv + src(i))
    umax = max(umax, abs(unew(i)))
  end do
end subroutine advdiff_step
"""

KERNEL_CPP = """\
#include <algorithm>
#include <cmath>

void advdiff_step(int n, double dt, double dx, double c, double nu, const double* u, const double* src,
                  double* unew, double& umax) {
    umax = 0.0;
    for (int i = 0; i < n; ++i) {
        const double left = i > 0 ? u[i - 1] : u[n - 1];
        const double right = i < n - 1 ? u[i + 1] : u[0];
        const double adv = c >= 0.0 ? c * (u[i] - left) / dx : c * (right - u[i]) / dx;
        const double dif = nu * (left - 2.0 * u[i] + right) / (dx * dx);
        unew[i] = u[i] + dt * (dif - adv + src[i]);
        umax = std::max(umax, std::abs(unew[i]));
    }
}
"""

# What a developer writes by hand to try both once: the baseline's C++ side.
BASELINE_MAIN = """\
#include <cstdio>
#include "kernel.cpp"
extern "C" void advdiff_step_(int*, double*, double*, double*, double*, double*, double*, double*, double*);
int main() {
    int n = 100;
    double dt = 1e-3, dx = 1e-2, c = 0.5, nu = 0.1, m1, m2;
    double u[100], s[100], a[100], b[100];
    for (int i = 0; i < n; ++i) { u[i] = (i % 7) * 0.1 - 0.3; s[i] = (i % 3) * 0.01; }
    advdiff_step_(&n, &dt, &dx, &c, &nu, u, s, a, &m1);
    advdiff_step(n, dt, dx, c, nu, u, s, b, m2);
    double worst = 0;
    for (int i = 0; i < n; ++i) worst = std::max(worst, std::abs(a[i] - b[i]));
    std::printf("max difference %g, umax %g %g\\n", worst, m1, m2);
    return 0;
}
"""


def _transverify() -> list[str]:
    exe = Path(sys.executable).with_name("transverify")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "transverify"]


def _wait_for_pch(cache: Path, patience: float = 120.0) -> None:
    deadline = time.monotonic() + patience
    while not list(cache.rglob("*.gch")) and time.monotonic() < deadline:
        time.sleep(0.2)


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    if not (shutil.which("gfortran") and shutil.which("g++")):
        print("bench/verify.py needs gfortran and g++ (scripts/setup.sh installs them)", file=sys.stderr)
        return 2

    from transverify.verify import VerifyOptions, verify

    work = Path(tempfile.mkdtemp(prefix="tv-bench-"))
    try:
        (work / "kernel.f90").write_text(KERNEL_F90)
        (work / "kernel.cpp").write_text(KERNEL_CPP)
        (work / "main.cpp").write_text(BASELINE_MAIN)
        source, candidate = work / "kernel.f90", work / "kernel.cpp"
        cache = work / "cache"
        counter = iter(range(10 ** 6))

        def baseline() -> None:
            subprocess.run(["gfortran", "-c", "kernel.f90", "-o", "kernel.o"], cwd=work, check=True)
            subprocess.run(["g++", "main.cpp", "kernel.o", "-lgfortran", "-o", "prog"], cwd=work, check=True)
            subprocess.run(["./prog"], cwd=work, check=True, capture_output=True)

        def new_source() -> Path:
            path = work / f"kernel_{next(counter)}.f90"
            path.write_text(KERNEL_F90 + f"! variant {path.stem}\n")
            return path

        def cli(src: Path) -> None:
            env = {**os.environ, "TRANSVERIFY_CACHE_DIR": str(cache)}
            done = subprocess.run([*_transverify(), "verify", str(src), str(candidate), "--json"], env=env,
                                  capture_output=True, text=True)
            if done.returncode != 0:
                raise SystemExit(f"verify failed (exit {done.returncode}): {done.stdout[-500:]}{done.stderr[-500:]}")

        def api(src: Path) -> None:
            result = verify(src, candidate, VerifyOptions(cache_dir=cache))
            if not result.ok:
                raise SystemExit(f"verify failed: {result.message}")

        modes = {
            "baseline": baseline,
            "cli-cold": lambda: cli(new_source()),
            "cli-cached": lambda: cli(source),
            "api-cold": lambda: api(new_source()),
            "api-cached": lambda: api(source),
        }
        cli(source)  # fill the cache (reference, and the PCH build it starts); warms the OS file cache
        _wait_for_pch(cache)
        baseline()
        samples: dict[str, list[float]] = {name: [] for name in modes}
        for _ in range(args.repeats):
            for name, fn in modes.items():
                samples[name].append(_timed(fn))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    base = statistics.median(samples["baseline"])
    goals = {"cli-cold": 1.5, "cli-cached": 0.7}
    print(f"verify benchmark: ~30-line Fortran subroutine, {args.repeats} repeats, medians (cores: {os.cpu_count()}, "
          f"load average {os.getloadavg()[0]:.1f})")
    print(f"{'mode':<12} {'median s':>9} {'min s':>7} {'ratio':>6}  goal")
    for name, values in samples.items():
        med = statistics.median(values)
        goal = f"<= {goals[name]}x" if name in goals else ""
        print(f"{name:<12} {med:9.3f} {min(values):7.3f} {med / base:5.2f}x  {goal}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
