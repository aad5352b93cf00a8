! Fixed number of Jacobi sweeps for -u'' = f on a uniform grid with u = 0 at both ends.
subroutine jacobi_poisson_1d(n, nsweeps, f, u)
  implicit none
  integer, intent(in) :: n, nsweeps
  real(8), intent(in) :: f(n)
  real(8), intent(inout) :: u(n)
  real(8) :: unew(n)
  real(8) :: h2, left, right
  integer :: i, sweep

  h2 = (1.0d0 / (n + 1))**2
  do sweep = 1, nsweeps
     do i = 1, n
        left = 0.0d0
        right = 0.0d0
        if (i > 1) left = u(i - 1)
        if (i < n) right = u(i + 1)
        unew(i) = 0.5d0 * (left + right + h2 * f(i))
     end do
     u = unew
  end do
end subroutine jacobi_poisson_1d
