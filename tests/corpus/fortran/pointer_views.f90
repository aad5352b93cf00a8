! Uses pointer views into a work array to alternate between two time levels.
subroutine pointer_views(n, nsteps, u)
  implicit none
  integer, intent(in) :: n, nsteps
  real(8), intent(inout), target :: u(n)
  real(8), target :: work(n)
  real(8), pointer :: old(:), new(:), tmp(:)
  integer :: i, step

  old => u
  new => work
  do step = 1, nsteps
     new(1) = old(1)
     new(n) = old(n)
     do i = 2, n - 1
        new(i) = 0.5d0 * (old(i - 1) + old(i + 1))
     end do
     tmp => old
     old => new
     new => tmp
  end do
  if (.not. associated(old, u)) u = old
end subroutine pointer_views
