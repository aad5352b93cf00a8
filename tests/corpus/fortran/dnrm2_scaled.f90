! Euclidean norm with scaling to avoid overflow, in the style of the reference BLAS.
function dnrm2_scaled(n, x) result(norm)
  implicit none
  integer, intent(in) :: n
  real(8), intent(in) :: x(n)
  real(8) :: norm
  real(8) :: scale, ssq, absxi
  integer :: i

  if (n < 1) then
     norm = 0.0d0
     return
  end if
  scale = 0.0d0
  ssq = 1.0d0
  do i = 1, n
     if (x(i) /= 0.0d0) then
        absxi = abs(x(i))
        if (scale < absxi) then
           ssq = 1.0d0 + ssq * (scale / absxi)**2
           scale = absxi
        else
           ssq = ssq + (absxi / scale)**2
        end if
     end if
  end do
  norm = scale * sqrt(ssq)
end function dnrm2_scaled
