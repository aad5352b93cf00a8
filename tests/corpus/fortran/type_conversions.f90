! Mixed-kind arithmetic and explicit conversions: where Fortran promotes,
! truncates and rounds.
subroutine type_conversions(n, x, i4, r4, r8, i8)
  implicit none
  integer, intent(in) :: n
  real(8), intent(in) :: x(n)
  integer, intent(out) :: i4(n)
  real, intent(out) :: r4(n)
  real(8), intent(out) :: r8(n)
  integer(8), intent(out) :: i8(n)
  integer :: i

  do i = 1, n
     i4(i) = int(100.0d0 * x(i)) + nint(7.5d0 * x(i))
     r4(i) = real(x(i)) * 3 + i / 2
     r8(i) = dble(r4(i)) + real(i, 8) / 2 + float(i / 3)
     i8(i) = int(x(i) * 1.0d12, 8) + 2_8**40
  end do
end subroutine type_conversions
