! Trapezoid rule for the integral of exp(-x**2) on [0, 2] with a refinement
! table in fixed format.
program trapezoid_report
  implicit none
  integer :: level, n, i
  real(8) :: h, total, x

  write(*, '(a)') 'trapezoid rule, f(x) = exp(-x**2) on [0,2]'
  write(*, '(a6, a16)') 'n', 'integral'
  n = 4
  do level = 1, 5
     h = 2.0d0 / n
     total = 0.5d0 * (f(0.0d0) + f(2.0d0))
     do i = 1, n - 1
        x = i * h
        total = total + f(x)
     end do
     write(*, '(i6, f16.10)') n, h * total
     n = 2 * n
  end do

contains

  pure real(8) function f(x)
    real(8), intent(in) :: x
    f = exp(-x**2)
  end function f

end program trapezoid_report
