! Composite Simpson rule for the integral of sin(x) on [0, pi] with several panel counts.
program simpson_program
  implicit none
  real(8), parameter :: pi = 3.141592653589793d0
  integer :: n, i, level
  real(8) :: h, s

  do level = 1, 4
     n = 2**(level + 1)
     h = pi / n
     s = sin(0.0d0) + sin(pi)
     do i = 1, n - 1
        if (mod(i, 2) == 1) then
           s = s + 4.0d0 * sin(i * h)
        else
           s = s + 2.0d0 * sin(i * h)
        end if
     end do
     s = s * h / 3.0d0
     print *, n, s, abs(s - 2.0d0)
  end do
end program simpson_program
