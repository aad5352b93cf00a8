! Out-of-place transpose using the intrinsic.
subroutine matrix_transpose(m, n, a, at)
  implicit none
  integer, intent(in) :: m, n
  real(8), intent(in) :: a(m, n)
  real(8), intent(out) :: at(n, m)

  at = transpose(a)
end subroutine matrix_transpose
