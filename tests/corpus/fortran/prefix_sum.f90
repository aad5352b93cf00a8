! In-place inclusive prefix sum of integer counts; returns the grand total.
integer function prefix_sum(n, counts)
  implicit none
  integer, intent(in) :: n
  integer, intent(inout) :: counts(n)
  integer :: i

  do i = 2, n
     counts(i) = counts(i) + counts(i - 1)
  end do
  prefix_sum = 0
  if (n > 0) prefix_sum = counts(n)
end function prefix_sum
