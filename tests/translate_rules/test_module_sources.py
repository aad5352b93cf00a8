"""Modules found in a source of the include path (-I DIR): PARAMETER constants computed from
inquiry intrinsics, `use m, only: a => b` renames continued over lines, generic INTERFACE
blocks, and .F90 sources that need the C preprocessor. Through the CLI, translate + verify."""

from __future__ import annotations

import json
import subprocess
import textwrap

from .conftest import needs_compilers

CONSTANTS = """
module scaling_consts
  integer, parameter :: sp = kind(1.e0)
  integer, parameter :: dp = kind(1.d0)
  real(dp), parameter :: dzero = 0.0_dp
  real(dp), parameter :: done = 1.0_dp
  real(dp), parameter :: dulp = epsilon(0._dp)
  real(dp), parameter :: dsafmin = real(radix(0._dp),dp)**max( &
     minexponent(0._dp)-1, &
     1-maxexponent(0._dp) &
  )
  real(dp), parameter :: dsafmax = done / dsafmin
  real(dp), parameter :: dtbig = real(radix(0._dp), dp)**floor( &
      (maxexponent(0._dp) - digits(0._dp) + 1) * 0.5_dp)
end module scaling_consts
"""


def _translate(tv_cmd, source, out, *includes):
    flags = [f for d in includes for f in ("-I", str(d))]
    done = subprocess.run([*tv_cmd, "translate", str(source), "--to", "cpp", "--solver", "rules", *flags,
                           "-o", str(out), "--json", "--no-capture"], capture_output=True, text=True, timeout=240)
    try:
        return done.returncode, json.loads(done.stdout)
    except json.JSONDecodeError:
        raise AssertionError(done.stdout + done.stderr) from None


@needs_compilers
def test_constants_of_a_module_in_an_include_directory_with_renames_over_continuation_lines(tmp_path, tv_cmd):
    inc = tmp_path / "inc"
    inc.mkdir()
    (inc / "scaling_consts.f90").write_text(CONSTANTS)
    source = tmp_path / "clamp_scale.f90"
    source.write_text(textwrap.dedent("""
        subroutine clamp_scale(n, x, big)
           use scaling_consts, &
              only: wp=>dp, zero=>dzero, &
                    safmin=>dsafmin, tbig=>dtbig
           implicit none
           integer :: n
           real(wp) :: x(n), big
           integer :: i
           big = zero
           do i = 1, n
              x(i) = max(abs(x(i)), safmin) * tbig
              if (x(i) > big) big = x(i)
           end do
        end subroutine
        """))
    code, payload = _translate(tv_cmd, source, tmp_path / "out.cpp", inc)
    assert code == 0, payload["message"]
    assert payload["verdict"] == "equivalent"
    cpp = (tmp_path / "out.cpp").read_text()
    assert "void clamp_scale(int n, double* x, double& big)" in cpp
    assert "std::numeric_limits<double>::min_exponent" in cpp
