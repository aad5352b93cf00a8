! Strided sum with a step that the caller chooses and that may be negative:
! the loop direction is only known at run time.
subroutine variable_step(n, x, stride, total, visited)
  implicit none
  integer, intent(in) :: n
  real(8), intent(in) :: x(n)
  integer, intent(in) :: stride
  real(8), intent(out) :: total
  integer, intent(out) :: visited
  integer :: i, step, first, last

  step = stride
  if (step == 0) step = 1
  if (step > 0) then
     first = 1
     last = n
  else
     first = n
     last = 1
  end if
  total = 0.0d0
  visited = 0
  do i = first, last, step
     total = total + x(i) * visited
     visited = visited + 1
  end do
end subroutine variable_step
