! Bubble sort of integers with early exit once a pass makes no swap;
! reports how many passes were needed.
subroutine bubble_sort_int(n, a, passes)
  implicit none
  integer, intent(in) :: n
  integer, intent(inout) :: a(n)
  integer, intent(out) :: passes
  integer :: i, tmp, last
  logical :: swapped

  passes = 0
  last = n - 1
  do
     swapped = .false.
     do i = 1, last
        if (a(i) > a(i + 1)) then
           tmp = a(i)
           a(i) = a(i + 1)
           a(i + 1) = tmp
           swapped = .true.
        end if
     end do
     passes = passes + 1
     last = last - 1
     if (.not. swapped .or. last < 1) exit
  end do
end subroutine bubble_sort_int
