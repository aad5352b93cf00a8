! Sum of squares of default integers, accumulated in integer(8) because the
! squares of large counts do not fit in 32 bits.
function sum_squares(n, v) result(total)
  implicit none
  integer, intent(in) :: n
  integer, intent(in) :: v(n)
  integer(8) :: total
  integer :: i

  total = 0
  do i = 1, n
     total = total + int(v(i), 8) * int(v(i), 8)
  end do
end function sum_squares
