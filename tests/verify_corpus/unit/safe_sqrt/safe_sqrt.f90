! Elementwise square root and reciprocal; negative inputs give NaN on purpose
! (the caller masks them later).
subroutine root_and_reciprocal(n, x, root, recip)
  implicit none
  integer, intent(in) :: n
  real(8), intent(in) :: x(n)
  real(8), intent(out) :: root(n), recip(n)
  integer :: i

  do i = 1, n
     root(i) = sqrt(x(i))
     recip(i) = 1.0d0 / (1.0d0 + abs(x(i)))
  end do
end subroutine root_and_reciprocal
