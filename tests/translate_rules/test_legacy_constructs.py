"""FORTRAN 77 as legacy libraries write it: fixed form, INTRINSIC/EXTERNAL, assumed-size
dummies with (possibly negative) strides, character options, LSAME/XERBLA, dummy
procedures, SAVE.  Free-form sources are verified by the engine; fixed-form and
assumed-size ones are compiled with a small C++ driver and run against values worked
out by hand (or by gfortran on the same source)."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest

from .conftest import compile_cpp, needs_compilers, translate, translated, verify_translation

pytestmark = needs_compilers


def run_with_driver(code: str, driver: str, workdir: Path) -> subprocess.CompletedProcess:
    """Compiles the translation with a main() and runs it (portable C++: -fno-builtin, -Wall)."""
    source = workdir / "driver.cpp"
    source.write_text(code + "\n" + textwrap.dedent(driver))
    binary = workdir / "driver"
    built = subprocess.run(["g++", "-std=c++17", "-fno-builtin", "-Wall", "-Wextra", "-o", str(binary), str(source)],
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr + "\n" + code
    assert "warning" not in built.stderr, built.stderr + "\n" + code
    return subprocess.run([str(binary)], capture_output=True, text=True, timeout=60)


def fixed(text: str) -> str:
    """A fixed-form source written with its columns (the dedent keeps column 1 comments)."""
    return textwrap.dedent(text).lstrip("\n")


def test_comment_and_blank_line_before_if_then(tmp_path):
    verify_translation("""
        subroutine clip(n, x, lo)
          implicit none
          integer, intent(in) :: n
          real(8), intent(inout) :: x(n)
          real(8), intent(in) :: lo
          integer :: i
          do i = 1, n
            ! values below lo are raised to it

            if (x(i) < lo) then
              x(i) = lo
            end if
          end do
          ! the first one is doubled
          if (n > 0) then
            x(1) = 2.0d0 * x(1)
          end if
        end subroutine clip
        """, tmp_path)


def test_declared_function_of_the_same_file_is_called_not_hidden(tmp_path):
    code, _ = verify_translation("""
        real(kind=8) function vsum(n, a)
          integer, intent(in) :: n
          real(kind=8), intent(in) :: a(n)
          integer :: i
          vsum = 0.0d0
          do i = 1, n
            vsum = vsum + a(i)
          end do
        end function vsum

        subroutine mean(n, a, s)
          integer, intent(in) :: n
          real(kind=8), intent(in) :: a(n)
          real(kind=8), intent(out) :: s
          real(kind=8) vsum
          s = vsum(n, a) / n
        end subroutine mean
        """, tmp_path, entry="mean")
    assert "double vsum =" not in code


def test_saved_scalars_without_initial_value_are_static(tmp_path):
    source = """
        subroutine tally(x, total)
          implicit none
          real(8), intent(in) :: x
          real(8), intent(out) :: total
          real(8) :: acc
          integer, save :: calls
          save acc
          calls = calls + 1
          if (calls == 1) acc = 0.0d0
          acc = acc + x
          total = acc
        end subroutine tally
        """
    code = translated(source)
    assert "static double acc" in code and "static int calls" in code
    done = run_with_driver(code, """
        #include <cstdio>
        int main() {
            double total = 0.0;
            tally(1.5, total);
            tally(2.0, total);
            std::printf("%.2f\\n", total);
        }
        """, tmp_path)
    assert done.stdout.strip() == "3.50"


def test_constants_from_powers_are_portable_cpp(tmp_path):
    code = translated("""
        subroutine scale23(x)
          implicit none
          real(8), intent(inout) :: x
          real(8), parameter :: r23 = 0.5d0**23, t23 = 2.0d0**23
          x = x * r23 * t23
        end subroutine scale23
        """)
    assert "constexpr double r23" not in code
    done = run_with_driver(code, """
        #include <cstdio>
        int main() { double x = 3.0; scale23(x); std::printf("%.1f\\n", x); }
        """, tmp_path)
    assert done.stdout.strip() == "3.0"


def test_intrinsic_statement_and_specific_names(tmp_path):
    verify_translation("""
        subroutine spec(n, x, y, big)
          integer n
          double precision x(n), y(n), big
          intrinsic dabs, dmax1, dsign, dsqrt, max0, mod
          integer i
          big = 0.0d0
          do i = 1, n
            y(i) = dsign(dsqrt(dabs(x(i))), x(i)) + dble(max0(i, mod(i, 3)))
            big = dmax1(big, dabs(y(i)))
          end do
        end subroutine spec
        """, tmp_path)


def test_external_dummy_procedure_is_a_function_pointer(tmp_path):
    source = """
        double precision function sq(x)
          double precision x
          sq = x * x
        end function sq

        subroutine trap(f, a, b, n, s)
          implicit none
          external f
          double precision f, a, b, s, h
          integer n, i
          h = (b - a) / n
          s = 0.5d0 * (f(a) + f(b))
          do i = 1, n - 1
            s = s + f(a + i * h)
          end do
          s = s * h
        end subroutine trap

        subroutine area(n, s)
          integer n
          double precision s
          external sq
          double precision sq
          call trap(sq, 0.0d0, 1.0d0, n, s)
        end subroutine area
        """
    result = translate(source, entry="area")
    assert result.code is not None, [str(u) for u in result.unsupported]
    assert "void trap(double (*f)(double), double a, double b, int n, double& s)" in result.code
    done = run_with_driver(result.code, """
        #include <cstdio>
        int main() { int n = 4; double s = 0.0; area(n, s); std::printf("%.6f\\n", s); }
        """, tmp_path)
    assert done.stdout.strip() == "0.343750"  # the trapezoidal rule, 4 panels, on x**2 over [0, 1]


def test_undeclared_external_dummy_is_not_an_undeclared_argument():
    result = translate("""
        subroutine apply(g, x)
          implicit none
          external g
          real(8), intent(inout) :: x
          call g(x)
        end subroutine apply
        """)
    assert all(u.construct != "undeclared argument" for u in result.unsupported)
    assert result.code is not None and "void (*g)(double&)" in result.code


BLAS_LIKE_GEMV = fixed("""
*> \\brief \\b MYGEMV computes y := alpha*A*x + y or y := alpha*A**T*x + y
*
*  Written for the translator's tests in the manner of the reference BLAS.
*
      SUBROUTINE MYGEMV(TRANS,M,N,ALPHA,A,LDA,X,INCX,Y)
*     .. Scalar Arguments ..
      DOUBLE PRECISION ALPHA
      INTEGER INCX,LDA,M,N
      CHARACTER TRANS
*     .. Array Arguments ..
      DOUBLE PRECISION A(LDA,*),X(*),Y(*)
*     ..
*     .. Local Scalars ..
      DOUBLE PRECISION TEMP
      INTEGER I,INFO,IX,J,JX,KX,LENX
*     .. External Functions ..
      LOGICAL LSAME
      EXTERNAL LSAME
*     .. External Subroutines ..
      EXTERNAL XERBLA
*     .. Intrinsic Functions ..
      INTRINSIC MAX
*     ..
      INFO = 0
      IF (.NOT.LSAME(TRANS,'N') .AND. .NOT.LSAME(TRANS,'T')) THEN
          INFO = 1
      ELSE IF (LDA.LT.MAX(1,M)) THEN
          INFO = 6
      ELSE IF (INCX.EQ.0) THEN
          INFO = 8
      END IF
      IF (INFO.NE.0) THEN
          CALL XERBLA('MYGEMV ',INFO)
          RETURN
      END IF
c-----------------------------------------------------------------------
      IF (LSAME(TRANS,'N')) THEN
          LENX = N
      ELSE
          LENX = M
      END IF
      IF (INCX.GT.0) THEN
          KX = 1
      ELSE
          KX = 1 - (LENX-1)*INCX
      END IF
*
*     Form  y := alpha*A*x + y  or  y := alpha*A**T*x + y.
*
      IF (LSAME(TRANS,'N')) THEN
          JX = KX
          DO 20 J = 1,N
              TEMP = ALPHA*X(JX)
              DO 10 I = 1,M
                  Y(I) = Y(I) + TEMP*A(I,J)
   10         CONTINUE
              JX = JX + INCX
   20     CONTINUE
      ELSE
          DO 40 J = 1,N
              TEMP = 0.0D0
              IX = KX
              DO 30 I = 1,M
                  TEMP = TEMP + A(I,J)*
     +                   X(IX)
                  IX = IX + INCX
   30         CONTINUE
              Y(J) = Y(J) + ALPHA*TEMP
   40     CONTINUE
      END IF
      RETURN
      END
""")

GEMV_DRIVER = """
    #include <cstdio>
    int main() {
        const double a[6] = {1, 2, 3, 4, 5, 6};  // 2 x 3, column-major
        const double x3[5] = {1, 0, 10, 0, 100};  // stride 2
        double y2[2] = {0, 0};
        mygemv('n', 2, 3, 1.0, a, 2, x3, 2, y2);
        std::printf("%g %g\\n", y2[0], y2[1]);
        const double x2[2] = {1, 10};  // stride -1: x = (10, 1)
        double y3[3] = {0, 0, 0};
        mygemv('T', 2, 3, 2.0, a, 2, x2, -1, y3);
        std::printf("%g %g %g\\n", y3[0], y3[1], y3[2]);
        mygemv('x', 2, 3, 1.0, a, 2, x2, 1, y3);
        mygemv('N', 2, 3, 1.0, a, 1, x2, 1, y3);
    }
    """


def test_fixed_form_blas_routine_with_assumed_size_strides_and_character_option(tmp_path):
    result = translate(BLAS_LIKE_GEMV, entry="mygemv", filename="mygemv.f")
    assert result.code is not None, [str(u) for u in result.unsupported]
    code = result.code
    assert "void mygemv(char trans, int m, int n, double alpha, const double* a, int lda, const double* x, " \
           "int incx, double* y)" in " ".join(code.split())
    assert "c-----" not in code and ".. Local Scalars .." not in code
    done = run_with_driver(code, GEMV_DRIVER, tmp_path)
    # y = A x with x = (1, 10, 100): (1*1 + 3*10 + 5*100, 2*1 + 4*10 + 6*100)
    # and with TRANS = 'T', alpha = 2, INCX = -1 (x = (10, 1)): 2 * A**T x
    assert done.stdout.split("\n")[:2] == ["531 642", "24 68 112"]
    assert done.stderr.splitlines() == [
        " ** On entry to MYGEMV parameter number  1 had an illegal value",
        " ** On entry to MYGEMV parameter number  6 had an illegal value",
    ]


def test_character_star_star_dummy_is_passed_as_const_char_pointer(tmp_path):
    code = translated("""
        subroutine check(name, n, info)
          character*(*) name
          integer n, info
          external xerbla
          info = 0
          if (n .lt. 0) then
            info = 2
            call xerbla(name, info)
          end if
        end subroutine check
        """)
    assert "void check(const char* name, int n, int& info)" in code
    done = run_with_driver(code, """
        int main() { int info = 0; check("CHECK ", -1, info); return info; }
        """, tmp_path)
    assert done.returncode == 2
    assert done.stderr == " ** On entry to CHECK parameter number  2 had an illegal value\n"


def test_counters_that_only_address_arrays_run_from_zero_and_matrices_use_an_accessor(tmp_path):
    code, _ = verify_translation("""
        subroutine rank1(m, n, alpha, x, y, a, colsum)
          implicit none
          integer, intent(in) :: m, n
          real(8), intent(in) :: alpha, x(m), y(n)
          real(8), intent(inout) :: a(m, n)
          real(8), intent(out) :: colsum(n)
          integer :: i, j
          do j = 1, n
            colsum(j) = 0.0d0
            do i = 1, m
              a(i, j) = a(i, j) + alpha * x(i) * y(j)
              colsum(j) = colsum(j) + a(i, j) * real(i, 8)
            end do
          end do
        end subroutine rank1
        """, tmp_path)
    assert "auto A = [&](int i, int j) -> double& { return a[i + j * m]; };" in code
    assert "for (int j = 0; j < n; ++j) {" in code
    assert "for (int i = 1; i <= m; ++i) {" in code  # i is also a value (real(i, 8)): Fortran's range kept
    assert "A(i - 1, j)" in code


def test_a_goto_to_the_terminal_continue_of_a_do_loop_starts_the_next_iteration(tmp_path):
    verify_translation("""
        subroutine insertion(n, d)
          integer n
          double precision d(n), t
          integer i, j
          do 30 i = 2, n
            do j = i, 2, -1
              if (d(j) .lt. d(j - 1)) then
                t = d(j)
                d(j) = d(j - 1)
                d(j - 1) = t
              else
                go to 30
              end if
            end do
       30 continue
        end subroutine insertion
        """, tmp_path)


def test_kinds_from_a_renamed_module_constant_and_include_files(tmp_path):
    (tmp_path / "inc").mkdir()
    (tmp_path / "inc" / "consts.f90").write_text(textwrap.dedent("""
        module consts
          implicit none
          integer, parameter :: dp = kind(1.0d0)
          real(dp), parameter :: dhalf = 0.5_dp
        end module consts
        """))
    (tmp_path / "inc" / "sizes.h").write_text("      integer nmax\n      parameter (nmax = 4)\n")
    source = tmp_path / "halves.f90"
    source.write_text(textwrap.dedent("""
        subroutine halves(x)
          use consts, only: wp => dp, half => dhalf
          implicit none
          include 'sizes.h'
          real(wp), intent(inout) :: x(nmax)
          integer :: i
          do i = 1, nmax
            x(i) = half * x(i)
          end do
        end subroutine halves
        """))
    from transverify.translators.fortran_cpp import translate_file
    refused = translate_file(source)
    assert refused.code is None and {u.construct for u in refused.unsupported} >= {"use"}
    result = translate_file(source, include_dirs=(tmp_path / "inc",))
    assert result.code is not None, [str(u) for u in result.unsupported]
    assert "void halves(double* x)" in result.code
    done = run_with_driver(result.code, """
        #include <cstdio>
        int main() { double x[4] = {2, 4, 6, 8}; halves(x); std::printf("%g %g\\n", x[0], x[3]); }
        """, tmp_path)
    assert done.stdout.strip() == "1 4"


def test_a_dummy_subroutine_receives_the_variables_it_may_write_by_reference(tmp_path):
    code = translated("""
        subroutine midpoint_step(t, y, h, deriv, ynew)
          implicit none
          real(8) t, y, h, ynew, k1, k2
          external deriv
          call deriv(t, y, k1)
          call deriv(t + h / 2.0d0, y + h * k1 / 2.0d0, k2)
          ynew = y + h * k2
        end subroutine midpoint_step
        """)
    assert "void (*deriv)(double, double, double&)" in code
    done = run_with_driver(code, """
        #include <cstdio>
        static void decay(double, double y, double& dy) { dy = -y; }
        int main() { double y1 = 0.0; midpoint_step(0.0, 1.0, 0.5, decay, y1); std::printf("%.4f\\n", y1); }
        """, tmp_path)
    assert done.stdout.strip() == "0.6250"  # 1 + 0.5 * -(1 - 0.25)


def test_functions_called_without_external_are_read_from_the_include_directories(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "vmax.f").write_text(fixed("""
      INTEGER FUNCTION VMAX(N,X)
      INTEGER N,I
      DOUBLE PRECISION X(*)
      VMAX = 1
      DO 10 I = 2,N
         IF (X(I).GT.X(VMAX)) VMAX = I
   10 CONTINUE
      END
"""))
    source = tmp_path / "pivot.f"
    source.write_text(fixed("""
      SUBROUTINE PIVOT(N,X,K,INFO)
      INTEGER N,K,INFO,VMAX,J
      DOUBLE PRECISION X(*)
      INFO = 0
      IF (N.LT.1) GO TO 20
      K = VMAX(N,X)
      DO 10 J = 1,N
         X(J) = X(J) - X(K)
   10 CONTINUE
      RETURN
   20 INFO = 1
      END
"""))
    from transverify.translators.fortran_cpp import translate_file
    result = translate_file(source, "pivot", include_dirs=(tmp_path / "lib",))
    assert result.code is not None, [str(u) for u in result.unsupported]
    assert "int vmax(int n, const double* x)" in result.code
    done = run_with_driver(result.code, """
        #include <cstdio>
        int main() {
            double x[4] = {1, 7, 3, 7};
            int k = 0, info = 0;
            pivot(4, x, k, info);
            std::printf("%d %d %g %g\\n", k, info, x[0], x[3]);
            pivot(0, x, k, info);
            std::printf("%d\\n", info);
        }
        """, tmp_path)
    assert done.stdout.split("\n")[:2] == ["2 0 -6 7", "1"]  # x(2) is 0 by the time x(4) is updated
