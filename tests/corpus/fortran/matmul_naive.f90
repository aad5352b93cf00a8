! C = A * B with the textbook triple loop (single precision).
subroutine matmul_naive(m, n, k, a, b, c)
  implicit none
  integer, intent(in) :: m, n, k
  real, intent(in) :: a(m, k), b(k, n)
  real, intent(out) :: c(m, n)
  integer :: i, j, l
  real :: acc

  do j = 1, n
     do i = 1, m
        acc = 0.0
        do l = 1, k
           acc = acc + a(i, l) * b(l, j)
        end do
        c(i, j) = acc
     end do
  end do
end subroutine matmul_naive
