! Root of x**3 - x - c in [-2, 2] by bisection (returns the midpoint of the final bracket).
function bisection_root(c) result(root)
  implicit none
  real(8), intent(in) :: c
  real(8) :: root
  real(8) :: lo, hi, mid, flo, fmid
  integer :: it

  lo = -2.0d0
  hi = 2.0d0
  flo = lo**3 - lo - c
  do it = 1, 200
     mid = 0.5d0 * (lo + hi)
     fmid = mid**3 - mid - c
     if (fmid == 0.0d0 .or. 0.5d0 * (hi - lo) < 1.0d-13) exit
     if (sign(1.0d0, fmid) == sign(1.0d0, flo)) then
        lo = mid
        flo = fmid
     else
        hi = mid
     end if
  end do
  root = mid
end function bisection_root
