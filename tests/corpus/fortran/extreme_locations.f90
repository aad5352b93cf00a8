! Positions and values of the extremes of a sample, with the intrinsics.
subroutine extreme_locations(n, x, imax, imin, spread)
  implicit none
  integer, intent(in) :: n
  real, intent(in) :: x(n)
  integer, intent(out) :: imax, imin
  real, intent(out) :: spread
  integer :: loc(1)

  loc = maxloc(x)
  imax = loc(1)
  loc = minloc(x)
  imin = loc(1)
  spread = maxval(x) - minval(x)
end subroutine extreme_locations
