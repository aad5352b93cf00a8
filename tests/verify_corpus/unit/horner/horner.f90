! Evaluates p(t) = c(1) + c(2) t + ... + c(n) t**(n-1) at several points.
subroutine poly_eval(n, c, npts, t, p)
  implicit none
  integer, intent(in) :: n, npts
  real(8), intent(in) :: c(n), t(npts)
  real(8), intent(out) :: p(npts)
  integer :: i, k

  do k = 1, npts
     p(k) = c(n)
     do i = n - 1, 1, -1
        p(k) = p(k) * t(k) + c(i)
     end do
  end do
end subroutine poly_eval
