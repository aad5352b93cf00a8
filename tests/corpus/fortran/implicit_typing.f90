! Legacy norm without IMPLICIT NONE: the accumulator s is implicitly REAL
! (single precision) and i is implicitly INTEGER, although x is double precision.
subroutine implicit_norm(n, x, r)
  integer n
  double precision x(n), r
  s = 0.0
  do i = 1, n
     s = s + x(i) * x(i)
  end do
  r = sqrt(s)
end subroutine implicit_norm
