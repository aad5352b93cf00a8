! Newton iteration for cube roots in single precision, with iteration counts.
program newton_cbrt
  implicit none
  real :: targets(4) = [2.0, 10.0, 0.5, 1000.0]
  real :: x, dx
  integer :: k, iters

  do k = 1, size(targets)
     x = 1.0
     iters = 0
     do while (iters < 50)
        dx = (x**3 - targets(k)) / (3.0 * x**2)
        x = x - dx
        iters = iters + 1
        if (abs(dx) <= 1.0e-6 * abs(x)) exit
     end do
     print *, targets(k), x, iters
  end do
end program newton_cbrt
