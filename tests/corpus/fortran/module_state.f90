! A running-statistics accumulator kept in module variables between calls.
module module_state
  implicit none
  integer :: nseen = 0
  real(8) :: running_mean = 0.0d0
contains
  subroutine observe(n, x, mean_out, count_out)
    integer, intent(in) :: n
    real(8), intent(in) :: x(n)
    real(8), intent(out) :: mean_out
    integer, intent(out) :: count_out
    integer :: i
    do i = 1, n
       nseen = nseen + 1
       running_mean = running_mean + (x(i) - running_mean) / nseen
    end do
    mean_out = running_mean
    count_out = nseen
  end subroutine observe
end module module_state
