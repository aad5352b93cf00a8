! Selects an update rule by number, as FORTRAN 77 solvers dispatch on a JOB argument:
! a computed GO TO whose out-of-range values fall through to the default rule.
subroutine apply_rule(job, n, x, y)
  implicit none
  integer, intent(in) :: job, n
  double precision, intent(in) :: x(n)
  double precision, intent(inout) :: y(n)
  integer :: i
  go to (10, 20, 30), job
  do i = 1, n
    y(i) = 0.0d0
  end do
  return
10 do i = 1, n
    y(i) = y(i) + x(i)
  end do
  return
20 do i = 1, n
    y(i) = y(i) - x(i)
  end do
30 continue
  do i = 1, n
    y(i) = 2.0d0 * y(i)
  end do
end subroutine apply_rule
