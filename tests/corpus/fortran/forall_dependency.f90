! Shift and smoothing with forall: every right-hand side is evaluated before any
! assignment, so a(i-1) means the old value even though a(i-1) is also assigned.
subroutine forall_dependency(n, a, b)
  implicit none
  integer, intent(in) :: n
  real(8), intent(inout) :: a(n)
  real(8), intent(out) :: b(n)
  integer :: i

  forall (i = 2:n) a(i) = a(i - 1) + 0.5d0 * a(i)
  b = a
  forall (i = 2:n - 1) b(i) = (b(i - 1) + b(i + 1)) / 2.0d0
end subroutine forall_dependency
