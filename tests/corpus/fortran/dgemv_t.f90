! y <- alpha * transpose(A) * x + beta * y  for an m-by-n matrix A.
subroutine dgemv_t(m, n, alpha, a, x, beta, y)
  implicit none
  integer, intent(in) :: m, n
  real(8), intent(in) :: alpha, beta
  real(8), intent(in) :: a(m, n), x(m)
  real(8), intent(inout) :: y(n)
  integer :: i, j
  real(8) :: temp

  do j = 1, n
     temp = 0.0d0
     do i = 1, m
        temp = temp + a(i, j) * x(i)
     end do
     y(j) = beta * y(j) + alpha * temp
  end do
end subroutine dgemv_t
