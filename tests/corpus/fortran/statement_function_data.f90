! Legacy style: coefficients from a DATA statement and a statement function.
subroutine statement_function_data(n, t, y)
  implicit none
  integer, intent(in) :: n
  double precision, intent(in) :: t(n)
  double precision, intent(out) :: y(n)
  double precision c(4), s, poly
  integer i
  data c /1.0d0, -0.5d0, 0.25d0, -0.125d0/
  poly(s) = c(1) + s * (c(2) + s * (c(3) + s * c(4)))

  do i = 1, n
     y(i) = poly(t(i)) - poly(-t(i))
  end do
end subroutine statement_function_data
