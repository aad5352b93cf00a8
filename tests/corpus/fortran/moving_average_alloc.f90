! Centered moving average of width 2*half+1 using an allocatable prefix-sum work array.
subroutine moving_average_alloc(n, half, x, avg)
  implicit none
  integer, intent(in) :: n, half
  real(8), intent(in) :: x(n)
  real(8), intent(out) :: avg(n)
  real(8), allocatable :: csum(:)
  integer :: i, lo, hi, w

  w = max(half, 0)
  allocate(csum(0:n))
  csum(0) = 0.0d0
  do i = 1, n
     csum(i) = csum(i - 1) + x(i)
  end do
  do i = 1, n
     lo = max(1, i - w)
     hi = min(n, i + w)
     avg(i) = (csum(hi) - csum(lo - 1)) / (hi - lo + 1)
  end do
  deallocate(csum)
end subroutine moving_average_alloc
