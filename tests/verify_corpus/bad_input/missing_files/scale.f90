subroutine scale(n, alpha, x)
  implicit none
  integer, intent(in) :: n
  real(8), intent(in) :: alpha
  real(8), intent(inout) :: x(n)
  x = alpha * x
end subroutine scale
