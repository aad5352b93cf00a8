! Assumed-shape dummy: its extent travels in a descriptor, outside the flat-array convention.
function weighted_mean(values, weights) result(m)
  implicit none
  real(8), intent(in) :: values(:)
  real(8), intent(in) :: weights(:)
  real(8) :: m

  m = sum(values * weights) / sum(weights)
end function weighted_mean
