! Exclusive prefix sum with zero-based arrays, as a port of C code would have it.
subroutine exclusive_scan(n, a, b)
  implicit none
  integer, intent(in) :: n
  integer, intent(in) :: a(0:n-1)
  integer, intent(out) :: b(0:n-1)
  integer :: i

  b(0) = 0
  do i = 1, n - 1
     b(i) = b(i - 1) + a(i - 1)
  end do
end subroutine exclusive_scan
