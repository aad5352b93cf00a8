"""Median time of the rule-based Fortran -> C++ translator on a 200-line module.

Baseline measured in the same run: `gfortran -fsyntax-only` on the same module (the
front end of the compiler every user already runs).  Prints medians and ratios.

    .venv/bin/python bench/translate.py [--repeats N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from transverify.translators.fortran_cpp import formatting, translate_source

_KERNEL = """
  ! {name}: damped update of a field, with a reduction and a guarded sweep.
  subroutine {name}(n, m, alpha, a, x, y, total)
    integer, intent(in) :: n, m
    real(dp), intent(in) :: alpha
    real(dp), intent(in) :: a(n, m), x(m)
    real(dp), intent(inout) :: y(n)
    real(dp), intent(out) :: total
    integer :: i, j
    real(dp) :: acc

    total = 0.0_dp
    do i = 1, n
      acc = 0.0_dp
      do j = 1, m
        acc = acc + a(i, j) * x(j)
      end do
      if (abs(acc) > tolerance) then
        y(i) = alpha * acc + damping * y(i)
      else if (acc < 0.0_dp) then
        y(i) = -y(i)
      else
        y(i) = 0.0_dp
      end if
      total = total + y(i)**2
    end do
    y(2:n) = 0.5_dp * (y(1:n-1) + y(2:n))
    total = sqrt(total) + maxval(abs(y)) / max(1, n)
  end subroutine {name}
"""


def module_source(kernels: int = 7) -> str:
    head = ("module field_kernels\n  implicit none\n  integer, parameter :: dp = kind(1.0d0)\n"
            "  real(dp), parameter :: tolerance = 1.0e-12_dp\n  real(dp), parameter :: damping = 0.9_dp\n"
            "contains\n")
    body = "".join(_KERNEL.format(name=f"relax_{k}") for k in range(kernels))
    return head + body + "end module field_kernels\n"


def median_seconds(action, repeats: int) -> float:
    action()  # warm up: imports, parser tables, page cache
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    source = module_source()
    lines = source.count("\n")

    def translate():
        result = translate_source(source, "field_kernels.f90")
        assert result.code is not None, result.unsupported

    def translate_unformatted():
        saved = formatting.clang_format_binary
        formatting.clang_format_binary = lambda: None
        try:
            translate()
        finally:
            formatting.clang_format_binary = saved

    full = median_seconds(translate, args.repeats)
    bare = median_seconds(translate_unformatted, args.repeats)
    print(f"module: {lines} lines, {source.count('subroutine ') // 2} procedures")
    print(f"translate_source (with clang-format): median {full * 1000:8.1f} ms")
    print(f"translate_source (no formatting)    : median {bare * 1000:8.1f} ms")
    gfortran = shutil.which("gfortran")
    if gfortran:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "field_kernels.f90"
            path.write_text(source)
            baseline = median_seconds(lambda: subprocess.run(
                [gfortran, "-fsyntax-only", str(path)], cwd=tmp, check=True), args.repeats)
        print(f"gfortran -fsyntax-only (baseline)   : median {baseline * 1000:8.1f} ms")
        print(f"ratio translate / baseline          : {full / baseline:8.2f}x")
    else:
        print("gfortran not installed: no baseline")
    print(f"goal: well under 1 s -> {'met' if full < 0.5 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
