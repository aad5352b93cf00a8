! Compacts the positive entries to the front.  The survivor count m is
! decremented inside a loop whose bound is m: Fortran fixes the trip count on entry.
subroutine fixed_trip_count(n, x, m)
  implicit none
  integer, intent(in) :: n
  real(8), intent(inout) :: x(n)
  integer, intent(out) :: m
  integer :: i, k

  m = n
  k = 0
  do i = 1, m
     if (x(i) > 0.0d0) then
        k = k + 1
        x(k) = x(i)
     else
        m = m - 1
     end if
  end do
  x(k + 1:n) = 0.0d0
end subroutine fixed_trip_count
