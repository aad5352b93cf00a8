! Weighted centre of a zero-based profile using size/lbound/ubound inquiries
! and an implied-do array constructor for the positions.
subroutine bounds_inquiry(n, profile, centre, width)
  implicit none
  integer, intent(in) :: n
  real(8), intent(in) :: profile(0:n-1)
  real(8), intent(out) :: centre, width
  real(8) :: pos(n), w(n)
  integer :: i

  pos = [(real(i, 8), i = lbound(profile, 1), ubound(profile, 1))]
  w = abs(profile)
  if (sum(w) == 0.0d0) then
     centre = 0.0d0
     width = 0.0d0
     return
  end if
  centre = sum(w * pos) / sum(w)
  width = sqrt(sum(w * (pos - centre)**2) / sum(w)) / size(profile)
end subroutine bounds_inquiry
