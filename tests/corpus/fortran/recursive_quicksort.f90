! Recursive quicksort (Lomuto partition) of the first n entries of a; the
! recursive calls pass array sections to explicit-shape dummies.
recursive subroutine quicksort(n, a)
  implicit none
  integer, intent(in) :: n
  real(8), intent(inout) :: a(n)
  real(8) :: pivot, t
  integer :: i, j

  if (n <= 1) return
  pivot = a(n)
  i = 0
  do j = 1, n - 1
     if (a(j) <= pivot) then
        i = i + 1
        t = a(i)
        a(i) = a(j)
        a(j) = t
     end if
  end do
  t = a(i + 1)
  a(i + 1) = a(n)
  a(n) = t
  call quicksort(i, a(1:i))
  call quicksort(n - i - 1, a(i + 2:n))
end subroutine quicksort
