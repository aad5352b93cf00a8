! Central-difference gradient of a field stored with a one-cell halo on each side.
subroutine halo_gradient(nx, ny, f, gx, gy)
  implicit none
  integer, intent(in) :: nx, ny
  real(8), intent(in) :: f(0:nx + 1, 0:ny + 1)
  real(8), intent(out) :: gx(nx, ny), gy(nx, ny)
  integer :: i, j

  do j = 1, ny
     do i = 1, nx
        gx(i, j) = 0.5d0 * (f(i + 1, j) - f(i - 1, j))
        gy(i, j) = 0.5d0 * (f(i, j + 1) - f(i, j - 1))
     end do
  end do
end subroutine halo_gradient
