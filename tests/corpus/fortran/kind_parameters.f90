! Modern kind handling: iso_fortran_env kinds and a selected_real_kind parameter.
subroutine kind_parameters(n, x, w, wsum, count_big)
  use, intrinsic :: iso_fortran_env, only: real64, int64
  implicit none
  integer, parameter :: dp = selected_real_kind(15, 307)
  integer, intent(in) :: n
  real(kind=dp), intent(in) :: x(n)
  real(real64), intent(in) :: w(n)
  real(dp), intent(out) :: wsum
  integer(int64), intent(out) :: count_big
  integer :: i

  wsum = 0.0_dp
  count_big = 0_int64
  do i = 1, n
     wsum = wsum + w(i) * x(i)
     if (abs(x(i)) > 0.5_dp) count_big = count_big + 1_int64
  end do
end subroutine kind_parameters
