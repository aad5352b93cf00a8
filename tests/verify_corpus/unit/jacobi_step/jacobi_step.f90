! One Jacobi sweep of the 2-D Laplace equation on an nx-by-ny grid;
! boundary values are carried over unchanged.
subroutine jacobi_step(nx, ny, u, unew, change)
  implicit none
  integer, intent(in) :: nx, ny
  real(8), intent(in) :: u(nx, ny)
  real(8), intent(out) :: unew(nx, ny)
  real(8), intent(out) :: change
  integer :: i, j

  unew = u
  change = 0.0d0
  do j = 2, ny - 1
     do i = 2, nx - 1
        unew(i, j) = 0.25d0 * (u(i - 1, j) + u(i + 1, j) + u(i, j - 1) + u(i, j + 1))
        change = max(change, abs(unew(i, j) - u(i, j)))
     end do
  end do
end subroutine jacobi_step
