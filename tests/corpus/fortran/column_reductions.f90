! Column sums, row maxima and the number of positive entries with dim= reductions.
subroutine column_reductions(m, n, a, colsum, rowmax, npos)
  implicit none
  integer, intent(in) :: m, n
  real(8), intent(in) :: a(m, n)
  real(8), intent(out) :: colsum(n), rowmax(m)
  integer, intent(out) :: npos

  colsum = sum(a, dim=1)
  rowmax = maxval(a, dim=2)
  npos = count(a > 0.0d0)
end subroutine column_reductions
