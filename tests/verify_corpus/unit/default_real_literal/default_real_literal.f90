! Damping of a double-precision state.  The constants are written without a
! kind suffix, so they are default (single-precision) reals widened to real(8):
! 0.1 here is 0.100000001490116..., a classic source of small differences.
subroutine damp_state(n, u, dt)
  implicit none
  integer, intent(in) :: n
  real(8), intent(inout) :: u(n)
  real(8), intent(in) :: dt
  real(8) :: decay
  integer :: i

  decay = 1.0d0 - 0.1 * dt
  do i = 1, n
     u(i) = decay * u(i) + 0.3 * dt
  end do
end subroutine damp_state
