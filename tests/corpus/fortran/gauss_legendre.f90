! Three-point Gauss-Legendre quadrature of a polynomial on each of ncell cells
! of [a, b]; nodes and weights are parameter arrays.
function gauss_legendre(ncoef, coef, a, b, ncell) result(integral)
  implicit none
  integer, intent(in) :: ncoef, ncell
  real(8), intent(in) :: coef(ncoef)
  real(8), intent(in) :: a, b
  real(8) :: integral
  real(8), parameter :: nodes(3) = [-0.7745966692414834d0, 0.0d0, 0.7745966692414834d0]
  real(8), parameter :: weights(3) = [5.0d0 / 9.0d0, 8.0d0 / 9.0d0, 5.0d0 / 9.0d0]
  real(8) :: h, mid, t, p
  integer :: c, q, k, cells

  cells = max(1, min(abs(ncell), 64))
  h = (b - a) / cells
  integral = 0.0d0
  do c = 1, cells
     mid = a + (c - 0.5d0) * h
     do q = 1, 3
        t = mid + 0.5d0 * h * nodes(q)
        p = 0.0d0
        do k = ncoef, 1, -1
           p = p * t + coef(k)
        end do
        integral = integral + 0.5d0 * h * weights(q) * p
     end do
  end do
end function gauss_legendre
