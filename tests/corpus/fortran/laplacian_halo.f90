! 5-point Laplacian of a field stored with a one-cell halo, as in domain-decomposed codes.
subroutine laplacian_halo(nx, ny, h, u, lap)
  implicit none
  integer, intent(in) :: nx, ny
  real(8), intent(in) :: h
  real(8), intent(in) :: u(0:nx + 1, 0:ny + 1)
  real(8), intent(out) :: lap(nx, ny)
  integer :: i, j
  real(8) :: inv_h2

  inv_h2 = 1.0d0 / (1.0d0 + h * h)
  do j = 1, ny
     do i = 1, nx
        lap(i, j) = (u(i - 1, j) + u(i + 1, j) + u(i, j - 1) + u(i, j + 1) - 4.0d0 * u(i, j)) * inv_h2
     end do
  end do
end subroutine laplacian_halo
