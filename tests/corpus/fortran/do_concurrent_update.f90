! Explicit Euler update written with do concurrent, as newer HPC codes do for offloading.
subroutine do_concurrent_update(n, m, dt, rate, field)
  implicit none
  integer, intent(in) :: n, m
  real(8), intent(in) :: dt
  real(8), intent(in) :: rate(n, m)
  real(8), intent(inout) :: field(n, m)
  integer :: i, j

  do concurrent (j = 1:m, i = 1:n)
     field(i, j) = field(i, j) * (1.0d0 - dt * abs(rate(i, j)))
  end do
end subroutine do_concurrent_update
