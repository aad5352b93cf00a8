! xorshift64 generator: fills x with integers in [0, 1000) from a 64-bit state.
! ishft right is a logical shift (zeros come in), even for negative states.
subroutine xorshift_fill(n, state, x)
  implicit none
  integer, intent(in) :: n
  integer(8), intent(inout) :: state
  integer, intent(out) :: x(n)
  integer :: i

  if (state == 0_8) state = 88172645463325252_8
  do i = 1, n
     state = ieor(state, ishft(state, 13))
     state = ieor(state, ishft(state, -7))
     state = ieor(state, ishft(state, 17))
     x(i) = int(modulo(state, 1000_8))
  end do
end subroutine xorshift_fill
