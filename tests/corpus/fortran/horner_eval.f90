! Value and derivative of a polynomial by Horner's scheme.
subroutine horner_eval(ncoef, coef, x, p, dp)
  implicit none
  integer, intent(in) :: ncoef
  real(8), intent(in) :: coef(0:ncoef - 1)
  real(8), intent(in) :: x
  real(8), intent(out) :: p, dp
  integer :: k

  p = coef(ncoef - 1)
  dp = 0.0d0
  do k = ncoef - 2, 0, -1
     dp = dp * x + p
     p = p * x + coef(k)
  end do
end subroutine horner_eval
