! Operator precedence as Fortran defines it: ** binds tighter than unary minus
! and is right-associative; integer division happens before conversion.
subroutine power_precedence(n, x, a, b, c, d)
  implicit none
  integer, intent(in) :: n
  real(8), intent(in) :: x(n)
  real(8), intent(out) :: a(n), b(n), c(n), d(n)
  integer :: i

  do i = 1, n
     a(i) = -x(i)**2
     b(i) = 2.0d0**x(i)**2
     c(i) = -2**2 + i / 2 * 2 - real(i / 3, 8)
     d(i) = x(i) / 2 * 3 + 1 / 2 * x(i) - (-x(i))**3
  end do
end subroutine power_precedence
