! Position of the first element >= key in an ascending array (lower bound),
! n + 1 when every element is smaller.  The table is sorted first.
integer function lower_bound(n, table, key)
  implicit none
  integer, intent(in) :: n
  integer, intent(inout) :: table(n)
  integer, intent(in) :: key
  integer :: lo, hi, mid, i, j, tmp

  ! Selection sort keeps the routine self-contained.
  do i = 1, n - 1
     do j = i + 1, n
        if (table(j) < table(i)) then
           tmp = table(i)
           table(i) = table(j)
           table(j) = tmp
        end if
     end do
  end do

  lo = 1
  hi = n + 1
  do while (lo < hi)
     mid = (lo + hi) / 2
     if (table(mid) < key) then
        lo = mid + 1
     else
        hi = mid
     end if
  end do
  lower_bound = lo
end function lower_bound
