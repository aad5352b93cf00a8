! BLAS-1: dy <- da*dx + dy, unrolled by four like the reference BLAS.
subroutine daxpy(n, da, dx, dy)
  implicit none
  integer, intent(in) :: n
  double precision, intent(in) :: da
  double precision, intent(in) :: dx(n)
  double precision, intent(inout) :: dy(n)
  integer :: i, m

  if (n <= 0) return
  if (da == 0.0d0) return
  m = mod(n, 4)
  if (m /= 0) then
     do i = 1, m
        dy(i) = dy(i) + da * dx(i)
     end do
     if (n < 4) return
  end if
  do i = m + 1, n, 4
     dy(i) = dy(i) + da * dx(i)
     dy(i + 1) = dy(i + 1) + da * dx(i + 1)
     dy(i + 2) = dy(i + 2) + da * dx(i + 2)
     dy(i + 3) = dy(i + 3) + da * dx(i + 3)
  end do
end subroutine daxpy
