! In-place LU factorisation without pivoting (Doolittle, unit lower triangle)
! of the diagonally dominant matrix  M = 2*I + A/n  assembled from A.
subroutine lu_nopivot(n, a)
  implicit none
  integer, intent(in) :: n
  real(8), intent(inout) :: a(n, n)
  integer :: i, j, k

  ! Assemble M in place; dominance makes pivoting unnecessary.
  a = a / n
  do i = 1, n
     a(i, i) = a(i, i) + 2.0d0
  end do

  do k = 1, n - 1
     do i = k + 1, n
        a(i, k) = a(i, k) / a(k, k)
     end do
     do j = k + 1, n
        do i = k + 1, n
           a(i, j) = a(i, j) - a(i, k) * a(k, j)
        end do
     end do
  end do
end subroutine lu_nopivot
