! Total and mean of integer counts.  The mean must not be truncated.
subroutine count_stats(n, counts, total, mean)
  implicit none
  integer, intent(in) :: n
  integer, intent(in) :: counts(n)
  integer, intent(out) :: total
  real(8), intent(out) :: mean
  integer :: i

  total = 0
  do i = 1, n
     total = total + counts(i)
  end do
  mean = real(total, 8) / real(n, 8)
end subroutine count_stats
