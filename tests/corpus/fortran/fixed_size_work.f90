! Moving-window median of 5 samples with a fixed-size local buffer sorted by insertion.
subroutine fixed_size_work(n, x, med)
  implicit none
  integer, intent(in) :: n
  real, intent(in) :: x(n)
  real, intent(out) :: med(n)
  integer, parameter :: width = 5
  real :: buf(width), t
  integer :: i, j, k, cnt, lo, hi

  do i = 1, n
     lo = max(1, i - width / 2)
     hi = min(n, i + width / 2)
     cnt = 0
     do j = lo, hi
        cnt = cnt + 1
        buf(cnt) = x(j)
     end do
     do j = 2, cnt
        t = buf(j)
        k = j - 1
        do while (k >= 1)
           if (buf(k) <= t) exit
           buf(k + 1) = buf(k)
           k = k - 1
        end do
        buf(k + 1) = t
     end do
     if (mod(cnt, 2) == 1) then
        med(i) = buf(cnt / 2 + 1)
     else
        med(i) = 0.5 * (buf(cnt / 2) + buf(cnt / 2 + 1))
     end if
  end do
end subroutine fixed_size_work
