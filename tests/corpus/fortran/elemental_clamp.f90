! Elemental clamp of a value into [lo, hi].
elemental real(8) function clamp(x, lo, hi)
  implicit none
  real(8), intent(in) :: x, lo, hi
  clamp = min(max(x, min(lo, hi)), max(lo, hi))
end function clamp
