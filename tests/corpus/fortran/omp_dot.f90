! Dot product parallelised with an OpenMP reduction.
function omp_dot(n, x, y) result(s)
  implicit none
  integer, intent(in) :: n
  real(8), intent(in) :: x(n), y(n)
  real(8) :: s
  integer :: i

  s = 0.0d0
  !$omp parallel do reduction(+:s)
  do i = 1, n
     s = s + x(i) * y(i)
  end do
  !$omp end parallel do
end function omp_dot
