! Finds the first pair (i < j) whose values sum to within tol of target, using
! labelled nested loops; returns zeros when there is none.
subroutine first_pair_sum(n, x, target, tol, ipair, jpair)
  implicit none
  integer, intent(in) :: n
  real(8), intent(in) :: x(n)
  real(8), intent(in) :: target, tol
  integer, intent(out) :: ipair, jpair
  integer :: i, j

  ipair = 0
  jpair = 0
  outer: do i = 1, n - 1
     if (x(i) > 0.9d0) cycle outer
     inner: do j = i + 1, n
        if (abs(x(i) + x(j) - target) <= abs(tol) * 0.1d0) then
           ipair = i
           jpair = j
           exit outer
        end if
     end do inner
  end do outer
end subroutine first_pair_sum
