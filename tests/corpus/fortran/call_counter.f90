! Keeps statistics across calls: an initialised local variable is implicitly SAVEd.
subroutine call_counter(n, x, ncalls, total_seen)
  implicit none
  integer, intent(in) :: n
  real(8), intent(in) :: x(n)
  integer, intent(out) :: ncalls
  integer, intent(out) :: total_seen
  integer :: calls = 0
  integer, save :: seen = 0

  calls = calls + 1
  seen = seen + count(x > 0.0d0)
  ncalls = calls
  total_seen = seen
end subroutine call_counter
