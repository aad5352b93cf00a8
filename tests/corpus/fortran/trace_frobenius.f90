! Trace and Frobenius norm of a square matrix.
subroutine trace_frobenius(n, a, tr, fro)
  implicit none
  integer, intent(in) :: n
  real(8), intent(in) :: a(n, n)
  real(8), intent(out) :: tr, fro
  integer :: i, j

  tr = 0.0d0
  fro = 0.0d0
  do j = 1, n
     tr = tr + a(j, j)
     do i = 1, n
        fro = fro + a(i, j)**2
     end do
  end do
  fro = sqrt(fro)
end subroutine trace_frobenius
