"""Complex code through the rule translator: std::complex<float/double> for complex/complex(8),
cmplx/dcmplx, real/aimag/conjg/abs, complex arithmetic and reductions, verified end to end."""

from __future__ import annotations

from .conftest import needs_compilers, translated, verify_translation

ZMIX = """
subroutine zmix(n, m, a, b, c, r, w)
  implicit none
  integer, intent(in) :: n, m
  complex(8), intent(in) :: a(n, m)
  double precision, intent(in) :: b(n)
  complex(8), intent(out) :: c(n, m)
  real(8), intent(out) :: r
  complex, intent(inout) :: w
  integer :: i, j
  complex(8) :: t
  r = 0.0d0
  do j = 1, m
    do i = 1, n
      t = dcmplx(b(i), dble(j)) * a(i, j)
      c(i, j) = conjg(t) + cmplx(dreal(t), -aimag(t), kind=8) * 0.5d0
      c(i, j) = c(i, j) + t**2 - exp(t * 0.1d0) + sqrt(t)
      r = r + abs(c(i, j)) + real(c(i, j)) * aimag(a(i, j))
    end do
  end do
  w = w * cmplx(2.0, -1.0) + cmplx(r, 0.0)
  w = w / (1.0 + abs(w))
end subroutine
"""

ZDOT = """
complex function zdot(n, x, y)
  implicit none
  integer, intent(in) :: n
  complex, intent(in) :: x(n), y(n)
  complex :: p(n)
  p = conjg(x) * 2.0
  zdot = dot_product(x, y) + sum(p)
end function
"""


def test_complex_kernel_emits_std_complex():
    code = translated(ZMIX)
    assert "#include <complex>" in code
    assert "const std::complex<double>* a" in code and "std::complex<float>& w" in code
    assert "std::conj(t)" in code and "std::imag(" in code and "std::real(" in code


@needs_compilers
def test_complex_kernel_translates_and_verifies(tmp_path):
    verify_translation(ZMIX, tmp_path)


@needs_compilers
def test_complex_dot_product_conjugates_and_verifies(tmp_path):
    code, _ = verify_translation(ZDOT, tmp_path)
    assert "std::conj(x[" in code
