! Leibniz series for pi with an OpenMP reduction; prints partial results in
! E format and the error against acos(-1).
program leibniz_omp
  implicit none
  integer, parameter :: nterms = 2000000
  integer :: k
  real(8) :: s, pi_est

  s = 0.0d0
  !$omp parallel do reduction(+:s)
  do k = 0, nterms - 1
     s = s + (-1.0d0)**k / (2 * k + 1)
  end do
  !$omp end parallel do
  pi_est = 4.0d0 * s
  write(*, '(a, es14.6)') 'pi estimate ', pi_est
  write(*, '(a, es10.2)') 'error       ', abs(pi_est - acos(-1.0d0))
end program leibniz_omp
