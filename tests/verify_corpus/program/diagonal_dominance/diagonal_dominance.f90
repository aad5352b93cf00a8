! Checks a tridiagonal system for diagonal dominance before a Thomas solve would
! be attempted; refuses with status 3 when a row fails.
program diagonal_dominance
  implicit none
  integer, parameter :: n = 6
  real(8) :: lower(n), diag(n), upper(n)
  integer :: i, bad

  do i = 1, n
     lower(i) = -1.0d0
     upper(i) = -1.0d0
     diag(i) = 2.5d0 - 0.25d0 * i
  end do
  lower(1) = 0.0d0
  upper(n) = 0.0d0

  bad = 0
  do i = 1, n
     write(*, '(a, i2, a, f7.3)') 'row', i, ' margin', abs(diag(i)) - abs(lower(i)) - abs(upper(i))
     if (abs(diag(i)) <= abs(lower(i)) + abs(upper(i))) bad = bad + 1
  end do
  if (bad > 0) then
     print *, 'rows failing:', bad
     stop 3
  end if
  print *, 'ok'
end program diagonal_dominance
