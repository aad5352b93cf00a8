! A module procedure: 5-point Laplacian of a column-major grid, interior only.
module stencil_mod
  implicit none
  integer, parameter :: dp = kind(1.0d0)
contains
  subroutine laplacian(nx, ny, h, u, lap)
    integer, intent(in) :: nx, ny
    real(dp), intent(in) :: h
    real(dp), intent(in) :: u(nx, ny)
    real(dp), intent(out) :: lap(nx, ny)
    integer :: i, j

    lap = 0.0_dp
    do j = 2, ny - 1
      do i = 2, nx - 1
        lap(i, j) = (u(i-1, j) + u(i+1, j) + u(i, j-1) + u(i, j+1) - 4.0_dp * u(i, j)) / (h * h)
      end do
    end do
  end subroutine laplacian
end module stencil_mod
