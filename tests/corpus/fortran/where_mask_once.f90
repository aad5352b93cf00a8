! Soft thresholding with a where block: the mask is evaluated once, before the
! first assignment changes x, and governs every statement of the block.
subroutine where_mask_once(n, x, lambda, kept)
  implicit none
  integer, intent(in) :: n
  real(8), intent(inout) :: x(n)
  real(8), intent(in) :: lambda
  real(8), intent(out) :: kept(n)
  real(8) :: t

  t = 0.5d0 * abs(lambda)
  kept = 0.0d0
  where (abs(x) > t)
     x = x - sign(t, x) * 3.0d0
     kept = x
  elsewhere
     x = 0.0d0
  end where
end subroutine where_mask_once
