! Pops up to k values from an integer stack and returns their sum; the stack
! top is updated in place and emptied slots are zeroed.
integer function stack_pop(n, stack, top, k)
  implicit none
  integer, intent(in) :: n, k
  integer, intent(inout) :: stack(n)
  integer, intent(inout) :: top
  integer :: taken

  top = max(0, min(abs(top), n))
  stack_pop = 0
  taken = 0
  do while (top > 0 .and. taken < abs(k))
     stack_pop = stack_pop + stack(top)
     stack(top) = 0
     top = top - 1
     taken = taken + 1
  end do
end function stack_pop
