! Masked selection with merge, and extreme-value searches initialised with huge().
subroutine merge_and_limits(n, x, y, pick, lowest, highest, flagged)
  implicit none
  integer, intent(in) :: n
  real(8), intent(in) :: x(n), y(n)
  real(8), intent(out) :: pick(n)
  real(8), intent(out) :: lowest, highest
  logical, intent(out) :: flagged
  integer :: i

  pick = merge(x, y, abs(x) > abs(y))
  lowest = huge(lowest)
  highest = -huge(highest)
  do i = 1, n
     lowest = min(lowest, pick(i))
     highest = max(highest, pick(i))
  end do
  flagged = any(pick > 0.9d0) .or. all(pick < 0.0d0) .or. highest - lowest < epsilon(1.0d0)
end subroutine merge_and_limits
