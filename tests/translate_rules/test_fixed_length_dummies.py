"""A read-only CHARACTER dummy of literal length (`character*6 label`, as benchmark reports take
a title) is a `const char*`; a literal actual is cut or blank-padded to that length, as the
callee sees it; `Aw` prints it as Fortran does and `Dw.d` output is E output with Fortran's
double precision exponent letter."""

from __future__ import annotations

from .conftest import needs_compilers, translated, verify_translation

pytestmark = needs_compilers

TAGS = """
program tags
  implicit none
  double precision :: v
  v = 1234.5d0
  call report(v, 'alphabet')
  call report(-v / 1000.0d0, 'beta  ')
end program tags

subroutine report(x, label)
  implicit none
  double precision, intent(in) :: x
  character*6 :: label
  write(*, 10) label, x
10 format(' tag ', a6, ': ', d14.6)
end subroutine report
"""

SCALE = """
subroutine scale(n, x, verbose)
  implicit none
  integer, intent(in) :: n
  double precision, intent(inout) :: x(n)
  logical, intent(in) :: verbose
  integer :: i
  do i = 1, n
    x(i) = 3.0d0 * x(i)
  end do
  if (verbose) call show(x(1), 'scaled by three')
end subroutine scale

subroutine show(v, title)
  implicit none
  double precision, intent(in) :: v
  character(len=8), intent(in) :: title
  write(*, '(a, 1x, d21.14)') title, v
end subroutine show
"""


def test_a_fixed_length_title_and_d_output_match_gfortran(tmp_path):
    code, _ = verify_translation(TAGS, tmp_path)
    assert "void report(double x, const char* label)" in code
    assert 'report(v, "alphab");' in code  # the first six characters, as the callee sees them
    assert "%6.6s" in code


def test_a_kernel_that_reports_with_a_title_is_verified(tmp_path):
    code, _ = verify_translation(SCALE, tmp_path, entry="scale")
    assert 'show(x[0], "scaled b");' in code
    assert "const char* title" in translated(SCALE, "show")
