! Even/odd splitting with strided loops, one of them running backwards.
subroutine strided_loops(n, x, even_sum, odd_rev)
  implicit none
  integer, intent(in) :: n
  real(8), intent(in) :: x(n)
  real(8), intent(out) :: even_sum
  real(8), intent(out) :: odd_rev(n)
  integer :: i, k

  even_sum = 0.0d0
  do i = 2, n, 2
     even_sum = even_sum + x(i)
  end do
  odd_rev = 0.0d0
  k = 0
  do i = n - mod(n + 1, 2), 1, -2
     k = k + 1
     odd_rev(k) = x(i)
  end do
end subroutine strided_loops
