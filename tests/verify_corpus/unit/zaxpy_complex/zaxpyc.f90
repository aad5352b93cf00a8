subroutine zaxpyc(n, a, x, y, s)
  implicit none
  integer, intent(in) :: n
  complex(8), intent(in) :: a
  complex(8), intent(in) :: x(n)
  complex(8), intent(inout) :: y(n)
  complex(8), intent(out) :: s
  integer :: i
  s = (0.0d0, 0.0d0)
  do i = 1, n
    y(i) = a * conjg(x(i)) + y(i)
    s = s + y(i) * abs(x(i))
  end do
end subroutine zaxpyc
