! Midpoint-rule estimate of pi = integral of 4/(1+x**2) on [0,1], OpenMP reduction.
program omp_pi_program
  implicit none
  integer, parameter :: nsteps = 1000000
  integer :: i
  real(8) :: x, step, total

  step = 1.0d0 / nsteps
  total = 0.0d0
  !$omp parallel do private(x) reduction(+:total)
  do i = 1, nsteps
     x = (i - 0.5d0) * step
     total = total + 4.0d0 / (1.0d0 + x * x)
  end do
  !$omp end parallel do
  print *, 'pi approx', total * step
end program omp_pi_program
