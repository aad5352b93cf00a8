! Solves L y = b for a unit lower-triangular L (strict lower part scaled by 1/n
! so the solution stays bounded).
subroutine forward_substitution(n, l, b, y)
  implicit none
  integer, intent(in) :: n
  real(8), intent(in) :: l(n, n), b(n)
  real(8), intent(out) :: y(n)
  integer :: i, j
  real(8) :: s

  do i = 1, n
     s = b(i)
     do j = 1, i - 1
        s = s - (l(i, j) / n) * y(j)
     end do
     y(i) = s
  end do
end subroutine forward_substitution
