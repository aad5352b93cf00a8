! Elementwise use of common numeric intrinsics.
subroutine intrinsics_mix(n, x, y, r, theta, rounded, lg)
  implicit none
  integer, intent(in) :: n
  real(8), intent(in) :: x(n), y(n)
  real(8), intent(out) :: r(n), theta(n), lg(n)
  integer, intent(out) :: rounded(n)
  integer :: i

  do i = 1, n
     r(i) = sqrt(x(i)**2 + y(i)**2)
     theta(i) = atan2(y(i), x(i))
     rounded(i) = nint(10.0d0 * x(i)) + floor(5.0d0 * y(i)) - ceiling(3.0d0 * x(i))
     lg(i) = log10(1.0d0 + abs(x(i))) + log(2.0d0 + y(i)) + sign(exp(x(i)), y(i))
  end do
end subroutine intrinsics_mix
