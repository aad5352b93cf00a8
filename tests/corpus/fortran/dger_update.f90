! Rank-one update A <- A + alpha * x * transpose(y).
subroutine dger_update(m, n, alpha, x, y, a)
  implicit none
  integer, intent(in) :: m, n
  real(8), intent(in) :: alpha
  real(8), intent(in) :: x(m), y(n)
  real(8), intent(inout) :: a(m, n)
  integer :: i, j
  real(8) :: temp

  do j = 1, n
     if (y(j) /= 0.0d0) then
        temp = alpha * y(j)
        do i = 1, m
           a(i, j) = a(i, j) + x(i) * temp
        end do
     end if
  end do
end subroutine dger_update
