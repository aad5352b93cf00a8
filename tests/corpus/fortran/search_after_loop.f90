! First index where the running sum exceeds a threshold; relies on the DO
! variable being n+1 after a loop that runs to completion (standard Fortran).
subroutine search_after_loop(n, x, threshold, first, running)
  implicit none
  integer, intent(in) :: n
  real(8), intent(in) :: x(n)
  real(8), intent(in) :: threshold
  integer, intent(out) :: first
  real(8), intent(out) :: running
  integer :: i

  running = 0.0d0
  do i = 1, n
     running = running + abs(x(i))
     if (running > 4.0d0 * abs(threshold) + 2.0d0) exit
  end do
  first = i
end subroutine search_after_loop
