! C <- C + A*B  with A m-by-k, B k-by-n, C m-by-n (jki loop order, column-major friendly).
subroutine gemm_update(m, n, k, a, b, c)
  implicit none
  integer, intent(in) :: m, n, k
  real(8), intent(in) :: a(m, k), b(k, n)
  real(8), intent(inout) :: c(m, n)
  integer :: i, j, l
  real(8) :: blj

  do j = 1, n
     do l = 1, k
        blj = b(l, j)
        do i = 1, m
           c(i, j) = c(i, j) + a(i, l) * blj
        end do
     end do
  end do
end subroutine gemm_update
