! Histogram of real samples over [lo, hi) in nbins equal bins; samples outside
! the range are counted separately.
subroutine histogram_real(n, x, nbins, counts, outside)
  implicit none
  integer, intent(in) :: n, nbins
  real, intent(in) :: x(n)
  integer, intent(out) :: counts(nbins)
  integer, intent(out) :: outside
  real, parameter :: lo = -1.0, hi = 1.0
  integer :: i, b
  real :: width

  counts = 0
  outside = 0
  width = (hi - lo) / nbins
  do i = 1, n
     if (x(i) < lo .or. x(i) >= hi) then
        outside = outside + 1
        cycle
     end if
     b = min(int(floor((x(i) - lo) / width)) + 1, nbins)
     counts(b) = counts(b) + 1
  end do
end subroutine histogram_real
