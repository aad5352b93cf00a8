! Midpoint quadrature of a damped oscillation; the integrand is an internal function.
function internal_function_quadrature(npanels, damping, omega) result(integral)
  implicit none
  integer, intent(in) :: npanels
  real(8), intent(in) :: damping, omega
  real(8) :: integral
  integer :: k, panels
  real(8) :: h

  panels = max(1, min(abs(npanels), 1000))
  h = 1.0d0 / panels
  integral = 0.0d0
  do k = 1, panels
     integral = integral + h * integrand((k - 0.5d0) * h)
  end do

contains

  real(8) function integrand(t)
    real(8), intent(in) :: t
    integrand = exp(-abs(damping) * t) * cos(omega * t)
  end function integrand

end function internal_function_quadrature
