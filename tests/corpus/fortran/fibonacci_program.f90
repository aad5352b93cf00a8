! Fibonacci numbers in integer(8) and the convergence of their ratio to the golden mean.
program fibonacci_program
  implicit none
  integer(8) :: f(90)
  integer :: i
  real(8) :: golden

  f(1) = 1
  f(2) = 1
  do i = 3, 90
     f(i) = f(i - 1) + f(i - 2)
  end do
  golden = (1.0d0 + sqrt(5.0d0)) / 2.0d0
  do i = 10, 90, 20
     print *, i, f(i), real(f(i), 8) / real(f(i - 1), 8) - golden
  end do
end program fibonacci_program
