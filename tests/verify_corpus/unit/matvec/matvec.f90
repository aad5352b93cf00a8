! y = A x for a general m-by-n matrix stored column-major.
subroutine matvec(m, n, a, x, y)
  implicit none
  integer, intent(in) :: m, n
  real(8), intent(in) :: a(m, n)
  real(8), intent(in) :: x(n)
  real(8), intent(out) :: y(m)
  integer :: i, j

  y = 0.0d0
  do j = 1, n
     do i = 1, m
        y(i) = y(i) + a(i, j) * x(j)
     end do
  end do
end subroutine matvec
