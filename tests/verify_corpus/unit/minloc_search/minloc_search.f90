! Smallest and largest sample and the (1-based) position of the smallest.
! Ties keep the first occurrence, like the minloc intrinsic.
subroutine range_of(n, x, xmin, xmax, imin)
  implicit none
  integer, intent(in) :: n
  real, intent(in) :: x(n)
  real, intent(out) :: xmin, xmax
  integer, intent(out) :: imin
  integer :: i

  xmin = x(1)
  xmax = x(1)
  imin = 1
  do i = 2, n
     if (x(i) < xmin) then
        xmin = x(i)
        imin = i
     end if
     xmax = max(xmax, x(i))
  end do
end subroutine range_of
