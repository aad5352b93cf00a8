! Park-Miller minimal standard generator: fills x with uniform deviates in (0,1)
! and advances the caller's state, after discarding nskip values.
subroutine lcg_stream(n, nskip, state, x)
  implicit none
  integer, intent(in) :: n
  integer, value :: nskip
  integer(8), intent(inout) :: state
  real(8), intent(out) :: x(n)
  integer(8), parameter :: a = 16807_8, m = 2147483647_8
  integer :: i

  nskip = min(nskip, 1000)
  state = modulo(state, m)
  if (state == 0) state = 1
  do while (nskip > 0)
     state = mod(a * state, m)
     nskip = nskip - 1
  end do
  do i = 1, n
     state = mod(a * state, m)
     x(i) = real(state, 8) / real(m, 8)
  end do
end subroutine lcg_stream
