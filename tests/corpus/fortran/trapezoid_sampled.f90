! Trapezoid rule on sampled, possibly non-uniform data.
function trapezoid_sampled(n, x, y) result(area)
  implicit none
  integer, intent(in) :: n
  real(8), intent(in) :: x(n), y(n)
  real(8) :: area
  integer :: i

  area = 0.0d0
  do i = 1, n - 1
     area = area + 0.5d0 * (x(i + 1) - x(i)) * (y(i + 1) + y(i))
  end do
end function trapezoid_sampled
