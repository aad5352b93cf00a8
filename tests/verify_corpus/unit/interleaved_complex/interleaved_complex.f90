! Pointwise product of complex signals stored as interleaved (re, im) real pairs,
! as FFT libraries lay them out: arrays of extent 2*n.
subroutine cmul_interleaved(n, a, b, c)
  implicit none
  integer, intent(in) :: n
  real(8), intent(in) :: a(2 * n), b(2 * n)
  real(8), intent(out) :: c(2 * n)
  integer :: k
  real(8) :: ar, ai, br, bi

  do k = 1, n
     ar = a(2 * k - 1)
     ai = a(2 * k)
     br = b(2 * k - 1)
     bi = b(2 * k)
     c(2 * k - 1) = ar * br - ai * bi
     c(2 * k) = ar * bi + ai * br
  end do
end subroutine cmul_interleaved
