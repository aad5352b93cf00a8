! For every row, the column of the first entry above a level; an unlabelled
! exit leaves only the inner loop.
subroutine nested_exit(m, n, a, level, firstcol)
  implicit none
  integer, intent(in) :: m, n
  real(8), intent(in) :: a(m, n)
  real(8), intent(in) :: level
  integer, intent(out) :: firstcol(m)
  integer :: i, j

  do i = 1, m
     firstcol(i) = 0
     do j = 1, n
        if (a(i, j) > level) then
           firstcol(i) = j
           exit
        end if
     end do
  end do
end subroutine nested_exit
