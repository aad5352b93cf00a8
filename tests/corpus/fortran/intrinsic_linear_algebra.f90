! Residual r = b - A x and its dot product with itself, with matmul and dot_product.
subroutine intrinsic_linear_algebra(n, a, x, b, r, rr)
  implicit none
  integer, intent(in) :: n
  real(8), intent(in) :: a(n, n), x(n), b(n)
  real(8), intent(out) :: r(n)
  real(8), intent(out) :: rr

  r = b - matmul(a, x)
  rr = dot_product(r, r)
end subroutine intrinsic_linear_algebra
