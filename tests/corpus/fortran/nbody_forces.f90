! Softened gravitational accelerations by direct summation.
subroutine nbody_forces(n, mass, pos, acc)
  implicit none
  integer, intent(in) :: n
  real(8), intent(in) :: mass(n), pos(3, n)
  real(8), intent(out) :: acc(3, n)
  real(8), parameter :: eps2 = 1.0d-2
  real(8) :: dx(3), r2, inv_r3
  integer :: i, j

  acc = 0.0d0
  do i = 1, n
     do j = 1, n
        if (i == j) cycle
        dx = pos(:, j) - pos(:, i)
        r2 = dx(1)**2 + dx(2)**2 + dx(3)**2 + eps2
        inv_r3 = 1.0d0 / (r2 * sqrt(r2))
        acc(:, i) = acc(:, i) + mass(j) * inv_r3 * dx
     end do
  end do
end subroutine nbody_forces
