! Marks samples above a threshold and counts them; masked samples are
! optionally clipped to the threshold.
subroutine threshold_mask(n, x, level, clip, mask, nabove)
  implicit none
  integer, intent(in) :: n
  real(8), intent(inout) :: x(n)
  real(8), intent(in) :: level
  logical, intent(in) :: clip
  logical, intent(out) :: mask(n)
  integer, intent(out) :: nabove
  integer :: i

  nabove = 0
  do i = 1, n
     mask(i) = x(i) > level
     if (mask(i)) then
        nabove = nabove + 1
        if (clip) x(i) = level
     end if
  end do
end subroutine threshold_mask
