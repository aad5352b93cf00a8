! Explicit (FTCS) time stepping of the 1-D heat equation with insulated ends.
subroutine heat_explicit(n, nsteps, alpha, temp)
  implicit none
  integer, intent(in) :: n, nsteps
  real, intent(in) :: alpha
  real, intent(inout) :: temp(n)
  real :: work(n)
  real :: r
  integer :: i, step

  if (n < 3) return
  ! Keep the scheme stable whatever coefficient is passed in.
  r = 0.25 * min(abs(alpha), 1.0)
  do step = 1, nsteps
     work = temp
     do i = 2, n - 1
        temp(i) = work(i) + r * (work(i - 1) - 2.0 * work(i) + work(i + 1))
     end do
     temp(1) = temp(2)
     temp(n) = temp(n - 1)
  end do
end subroutine heat_explicit
