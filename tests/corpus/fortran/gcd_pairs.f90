! Elementwise greatest common divisor (Euclid) and least common multiple.
subroutine gcd_pairs(n, a, b, g, l)
  implicit none
  integer, intent(in) :: n
  integer, intent(in) :: a(n), b(n)
  integer, intent(out) :: g(n)
  integer(8), intent(out) :: l(n)
  integer :: i, x, y, r

  do i = 1, n
     x = abs(a(i))
     y = abs(b(i))
     do while (y /= 0)
        r = mod(x, y)
        x = y
        y = r
     end do
     g(i) = x
     if (x == 0) then
        l(i) = 0
     else
        l(i) = int(abs(a(i)), 8) / x * abs(b(i))
     end if
  end do
end subroutine gcd_pairs
