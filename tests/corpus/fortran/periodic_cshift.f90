! Advection of a periodic signal by one upwind step using cshift for the neighbours.
subroutine periodic_cshift(n, courant, u, unew)
  implicit none
  integer, intent(in) :: n
  real(8), intent(in) :: courant
  real(8), intent(in) :: u(n)
  real(8), intent(out) :: unew(n)
  real(8) :: c

  c = min(abs(courant), 1.0d0)
  unew = u - c * (u - cshift(u, -1))
end subroutine periodic_cshift
