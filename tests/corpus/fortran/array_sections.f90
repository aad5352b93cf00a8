! Smoothing and differencing with array sections instead of explicit loops.
subroutine array_sections(n, x, smooth, diff)
  implicit none
  integer, intent(in) :: n
  real(8), intent(in) :: x(n)
  real(8), intent(out) :: smooth(n), diff(n)

  smooth = x
  diff = 0.0d0
  if (n < 3) return
  smooth(2:n-1) = 0.25d0 * x(1:n-2) + 0.5d0 * x(2:n-1) + 0.25d0 * x(3:n)
  diff(1:n-1) = x(2:n) - x(1:n-1)
  diff(n:n) = diff(n-1:n-1)
end subroutine array_sections
