! Running maximum of the non-negative samples; negative samples are skipped (cycle)
! and the running value is carried over.
subroutine running_extremes(n, x, runmax, nskipped)
  implicit none
  integer, intent(in) :: n
  real, intent(in) :: x(n)
  real, intent(out) :: runmax(n)
  integer, intent(out) :: nskipped
  real :: current
  integer :: i

  current = 0.0
  nskipped = 0
  do i = 1, n
     runmax(i) = current
     if (x(i) < 0.0) then
        nskipped = nskipped + 1
        cycle
     end if
     current = max(current, x(i))
     runmax(i) = current
  end do
end subroutine running_extremes
