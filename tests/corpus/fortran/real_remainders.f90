! Phase wrapping with real mod/modulo and rounding with aint/anint.
subroutine real_remainders(n, phase, period, wrapped_mod, wrapped_modulo, truncated, rounded)
  implicit none
  integer, intent(in) :: n
  real(8), intent(in) :: phase(n)
  real(8), intent(in) :: period
  real(8), intent(out) :: wrapped_mod(n), wrapped_modulo(n), truncated(n), rounded(n)
  real(8) :: p
  integer :: i

  p = abs(period) + 0.25d0
  do i = 1, n
     wrapped_mod(i) = mod(10.0d0 * phase(i), p)
     wrapped_modulo(i) = modulo(10.0d0 * phase(i), p)
     truncated(i) = aint(10.0d0 * phase(i))
     rounded(i) = anint(10.0d0 * phase(i))
  end do
end subroutine real_remainders
