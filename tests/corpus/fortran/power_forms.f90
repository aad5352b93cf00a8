! Different kinds of exponentiation: integer powers of reals, negative integer
! powers, real powers, integer powers of integers.
subroutine power_forms(n, x, k, p2, pneg, phalf, ipow)
  implicit none
  integer, intent(in) :: n, k
  real(8), intent(in) :: x(n)
  real(8), intent(out) :: p2(n), pneg(n), phalf(n)
  integer, intent(out) :: ipow(n)
  integer :: i, e

  e = mod(abs(k), 5)
  do i = 1, n
     p2(i) = x(i)**2 + x(i)**3
     pneg(i) = (1.5d0 + x(i))**(-e)
     phalf(i) = abs(x(i))**0.5d0 + 2.0d0**(-i)
     ipow(i) = (i - n / 2)**e + 2**e
  end do
end subroutine power_forms
