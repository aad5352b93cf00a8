! Counts the rows that have no negative entry; an inner `cycle rows` skips to the next row.
subroutine cycle_outer_inner(m, n, a, nclean, rowsum)
  implicit none
  integer, intent(in) :: m, n
  real(8), intent(in) :: a(m, n)
  integer, intent(out) :: nclean
  real(8), intent(out) :: rowsum(m)
  integer :: i, j

  nclean = 0
  rowsum = 0.0d0
  rows: do i = 1, m
     cols: do j = 1, n
        if (a(i, j) < -0.8d0) cycle rows
        rowsum(i) = rowsum(i) + a(i, j)
     end do cols
     nclean = nclean + 1
  end do rows
end subroutine cycle_outer_inner
