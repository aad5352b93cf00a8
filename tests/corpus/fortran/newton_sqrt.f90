! Square root by Newton's iteration, stopping on a relative tolerance or after 60 steps.
function newton_sqrt(a) result(x)
  implicit none
  real(8), intent(in) :: a
  real(8) :: x, xold
  integer :: iter

  if (a <= 0.0d0) then
     x = 0.0d0
     return
  end if
  x = max(a, 1.0d0)
  iter = 0
  do while (iter < 60)
     xold = x
     x = 0.5d0 * (x + a / x)
     iter = iter + 1
     if (abs(x - xold) <= 1.0d-15 * x) exit
  end do
end function newton_sqrt
