! Double-precision dot product as a function.
double precision function ddot(n, x, y)
  implicit none
  integer, intent(in) :: n
  double precision, intent(in) :: x(n), y(n)
  integer :: i

  ddot = 0.0d0
  do i = 1, n
     ddot = ddot + x(i) * y(i)
  end do
end function ddot
