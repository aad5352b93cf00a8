! Sorts keys ascending in place, carrying an integer tag along with each key.
subroutine insertion_sort(n, keys, tags)
  implicit none
  integer, intent(in) :: n
  real(8), intent(inout) :: keys(n)
  integer, intent(inout) :: tags(n)
  integer :: i, j, t
  real(8) :: k

  do i = 2, n
     k = keys(i)
     t = tags(i)
     j = i - 1
     do while (j >= 1)
        if (keys(j) <= k) exit
        keys(j + 1) = keys(j)
        tags(j + 1) = tags(j)
        j = j - 1
     end do
     keys(j + 1) = k
     tags(j + 1) = t
  end do
end subroutine insertion_sort
