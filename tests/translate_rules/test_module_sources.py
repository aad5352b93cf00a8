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


NAN_MODULE = """
module nan_checks
   interface is_undefined
   module procedure single_undefined
   module procedure double_undefined
   end interface
contains
   logical function single_undefined( v )
   real(kind(1.e0)) :: v
#ifdef PREFER_INTRINSIC
   single_undefined = isnan(v)
#else
   single_undefined = differs(v, v)
   contains
   logical function differs( a, b )
   real(kind(1.e0)) :: a, b
   differs = ( a.ne.b )
   end function differs
#endif
   end function single_undefined

   logical function double_undefined( v )
   real(kind(1.d0)) :: v
#include "double_body.fi"
   end function double_undefined
end module nan_checks
"""


@needs_compilers
def test_a_generic_interface_of_a_preprocessed_module_resolves_to_the_specific_of_matching_kind(tmp_path, tv_cmd):
    inc = tmp_path / "inc"
    inc.mkdir()
    (inc / "checks.F90").write_text(NAN_MODULE)  # not named after its module: found by its MODULE statement
    (inc / "double_body.fi").write_text("#ifndef PREFER_INTRINSIC\n   double_undefined = .not. (v == v)\n#endif\n")
    source = tmp_path / "count_defined.f90"
    source.write_text(textwrap.dedent("""
        subroutine count_defined(n, x, s, total)
           use nan_checks, only: undefined => is_undefined
           implicit none
           integer :: n, total, i
           double precision :: x(n)
           real :: s
           total = 0
           if (undefined(s)) total = -1
           do i = 1, n
              if (.not. undefined(x(i))) total = total + 1
           end do
        end subroutine
        """))
    code, payload = _translate(tv_cmd, source, tmp_path / "out.cpp", inc)
    assert code == 0, payload["message"]
    assert payload["verdict"] == "equivalent"
    cpp = (tmp_path / "out.cpp").read_text()
    assert "if (single_undefined(s))" in cpp and "if (!double_undefined(x[i]))" in cpp
    assert "#ifdef" not in cpp and "isnan" not in cpp  # the branch gfortran compiles, not the other


def test_a_generic_without_a_specific_for_the_argument_kind_is_refused_at_the_call(tmp_path):
    from transverify.translators.fortran_cpp import translate_file
    source = tmp_path / "only_real.f90"
    source.write_text(textwrap.dedent("""
        module pick
          interface twice
            module procedure twice_real
          end interface
        contains
          real function twice_real(v)
            real :: v
            twice_real = 2 * v
          end function
        end module
        subroutine use_it(i, j)
          use pick
          integer :: i, j
          j = twice(i)
        end subroutine
        """))
    result = translate_file(source, entry="use_it")
    assert result.code is None
    found = [u for u in result.unsupported if u.construct == "generic interface"]
    assert found and found[0].line == 15 and "twice_real" in found[0].message and "integer(4)" in found[0].message


def test_a_missing_preprocessor_include_names_the_file_and_line(tmp_path):
    from transverify.translators.fortran_cpp import translate_file
    source = tmp_path / "needs_fi.F90"
    source.write_text("subroutine s(x)\n  real :: x\n#include \"absent.fi\"\nend subroutine\n")
    result = translate_file(source)
    assert result.code is None
    assert [(u.line, u.construct) for u in result.unsupported] == [(3, "#include")]
    assert "absent.fi" in result.unsupported[0].message


@needs_compilers
def test_verify_reads_a_preprocessed_source_as_gfortran_compiles_it(tmp_path, tv_cmd):
    source = tmp_path / "pick.F90"
    source.write_text(textwrap.dedent("""
        #define SCALE 3
        subroutine pick(n, x)
          integer :: n
          double precision :: x(n)
        #ifdef __GFORTRAN__
          x(1:n) = SCALE * x(1:n)
        #else
          x(1:n) = 0
        #endif
        end subroutine
        """))
    candidate = tmp_path / "pick.cpp"
    candidate.write_text("void pick(int n, double* x) { for (int i = 0; i < n; ++i) x[i] = 3 * x[i]; }\n")
    done = subprocess.run([*tv_cmd, "verify", str(source), str(candidate), "--json"], capture_output=True, text=True,
                          timeout=240)
    assert done.returncode == 0, done.stdout + done.stderr
    code, payload = _translate(tv_cmd, source, tmp_path / "out.cpp")
    assert code == 0, payload["message"]
    assert "3 * x[" in (tmp_path / "out.cpp").read_text().replace("3.0", "3")


@needs_compilers
def test_two_procedures_of_one_file_may_rename_different_kinds_to_the_same_local_name(tmp_path, tv_cmd):
    inc = tmp_path / "inc"
    inc.mkdir()
    (inc / "scaling_consts.f90").write_text(CONSTANTS)
    source = tmp_path / "halves.f90"
    source.write_text(textwrap.dedent("""
        subroutine half_single(x)
           use scaling_consts, only: wp => sp
           real(wp) :: x
           x = x / 2
        end subroutine
        subroutine half_double(x)
           use scaling_consts, only: wp => dp
           real(wp) :: x
           x = x / 2
        end subroutine
        """))
    for entry, cpp_type in (("half_single", "float"), ("half_double", "double")):
        done = subprocess.run([*tv_cmd, "translate", str(source), "--entry", entry, "--to", "cpp", "--solver", "rules",
                               "-I", str(inc), "-o", str(tmp_path / f"{entry}.cpp"), "--json", "--no-capture"],
                              capture_output=True, text=True, timeout=240)
        payload = json.loads(done.stdout)
        assert done.returncode == 0, payload["message"]
        assert f"void {entry}({cpp_type}& x)" in (tmp_path / f"{entry}.cpp").read_text()


def test_lines_after_a_preprocessor_include_are_reported_at_their_own_line(tmp_path):
    from transverify.translators.fortran_cpp import translate_file
    (tmp_path / "decls.fi").write_text("  real :: y\n  real :: z\n  real :: w\n")
    source = tmp_path / "late.F90"
    source.write_text(textwrap.dedent("""\
        subroutine late(x)
          real :: x
        #include "decls.fi"
          y = 1; z = 2; w = 3
          x = y + z + w
          print '(t5, f8.3)', x
        end subroutine
        """))
    result = translate_file(source)
    assert result.code is None
    assert [u.line for u in result.unsupported] == [6], [str(u) for u in result.unsupported]
