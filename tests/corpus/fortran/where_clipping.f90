! Clips negative values and scales the rest with masked array assignment.
subroutine where_clipping(n, x, scale)
  implicit none
  integer, intent(in) :: n
  real(8), intent(inout) :: x(n)
  real(8), intent(in) :: scale

  where (x < 0.0d0)
     x = 0.0d0
  elsewhere
     x = scale * x
  end where
end subroutine where_clipping
