! Outer product and its symmetrised copy with forall.
subroutine forall_outer(n, x, y, a)
  implicit none
  integer, intent(in) :: n
  real(8), intent(in) :: x(n), y(n)
  real(8), intent(out) :: a(n, n)
  integer :: i, j

  forall (i = 1:n, j = 1:n) a(i, j) = x(i) * y(j)
  forall (i = 1:n, j = 1:n, i > j) a(i, j) = 0.5d0 * (a(i, j) + a(j, i))
end subroutine forall_outer
