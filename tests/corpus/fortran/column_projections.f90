! Projections of a vector onto each column of a matrix, and the clamped largest one.
subroutine column_projections(m, n, a, x, proj, best)
  implicit none
  integer, intent(in) :: m, n
  real(8), intent(in) :: a(m, n), x(m)
  real(8), intent(out) :: proj(n)
  real(8), intent(out) :: best
  integer :: j

  do j = 1, n
     proj(j) = dot_product(a(:, j), x) / max(1.0d-3, dot_product(a(:, j), a(:, j)))
  end do
  best = min(maxval(proj), 10.0d0, abs(proj(1)) + 5.0d0, 1.0d0 + sum(abs(x)))
end subroutine column_projections
