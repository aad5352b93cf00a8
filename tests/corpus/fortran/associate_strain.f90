! Strain components of a 2-D displacement field with associate names for readability.
subroutine associate_strain(nx, ny, h, ux, uy, exx, eyy)
  implicit none
  integer, intent(in) :: nx, ny
  real(8), intent(in) :: h
  real(8), intent(in) :: ux(nx, ny), uy(nx, ny)
  real(8), intent(out) :: exx(nx, ny), eyy(nx, ny)
  integer :: i, j

  exx = 0.0d0
  eyy = 0.0d0
  do j = 2, ny - 1
     do i = 2, nx - 1
        associate (inv2h => 0.5d0 / (1.0d0 + abs(h)))
          exx(i, j) = (ux(i + 1, j) - ux(i - 1, j)) * inv2h
          eyy(i, j) = (uy(i, j + 1) - uy(i, j - 1)) * inv2h
        end associate
     end do
  end do
end subroutine associate_strain
