! Lexicographic Gauss-Seidel sweeps for the 5-point Laplacian; boundary rows and
! columns of u hold Dirichlet data and are not touched.
subroutine gauss_seidel_2d(nx, ny, sweeps, rhs, u)
  implicit none
  integer, intent(in) :: nx, ny, sweeps
  real(8), intent(in) :: rhs(nx, ny)
  real(8), intent(inout) :: u(nx, ny)
  integer :: i, j, it

  do it = 1, sweeps
     do j = 2, ny - 1
        do i = 2, nx - 1
           u(i, j) = 0.25d0 * (u(i - 1, j) + u(i + 1, j) + u(i, j - 1) + u(i, j + 1) - rhs(i, j))
        end do
     end do
  end do
end subroutine gauss_seidel_2d
