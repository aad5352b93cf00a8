! Over-relaxed update of a double-precision field; the relaxation factor and the
! source strength are written as default-real literals (single precision, then widened).
subroutine relaxation_literals(n, u, target_u)
  implicit none
  integer, intent(in) :: n
  real(8), intent(inout) :: u(n)
  real(8), intent(in) :: target_u(n)
  real(8) :: omega
  integer :: i

  omega = 1.3
  do i = 1, n
     u(i) = u(i) + omega * (target_u(i) - u(i)) + 0.01 * i
  end do
end subroutine relaxation_literals
