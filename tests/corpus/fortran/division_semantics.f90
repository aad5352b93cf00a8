! Integer division and mod truncate toward zero, modulo follows the divisor's sign;
! real division of converted integers does not truncate.
subroutine division_semantics(n, num, den, iquot, irem, imodulo, rquot)
  implicit none
  integer, intent(in) :: n
  integer, intent(in) :: num(n), den(n)
  integer, intent(out) :: iquot(n), irem(n), imodulo(n)
  real(8), intent(out) :: rquot(n)
  integer :: i, d

  do i = 1, n
     d = den(i)
     if (d == 0) d = 7
     iquot(i) = num(i) / d
     irem(i) = mod(num(i), d)
     imodulo(i) = modulo(num(i), d)
     rquot(i) = real(num(i), 8) / d + 3 / 2
  end do
end subroutine division_semantics
