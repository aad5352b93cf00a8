! Histogram of integer samples into nbins bins; samples outside the range
! are clamped into the first or the last bin.
subroutine histogram(n, samples, nbins, counts)
  implicit none
  integer, intent(in) :: n, nbins
  integer, intent(in) :: samples(n)
  integer, intent(out) :: counts(nbins)
  integer :: i, bin

  counts = 0
  do i = 1, n
     bin = min(max(samples(i), 1), nbins)
     counts(bin) = counts(bin) + 1
  end do
end subroutine histogram
