module geom
  use iso_c_binding
  implicit none
  type, bind(C) :: particle
    real(c_double) :: x, y
    real(c_double) :: mass
    integer(c_int) :: id
  end type particle
contains
  subroutine advance(n, p, dt, total)
    integer, intent(in) :: n
    type(particle), intent(inout) :: p(n)
    real(c_double), intent(in) :: dt
    type(particle), intent(out) :: total
    integer :: i
    total%x = 0; total%y = 0; total%mass = 0; total%id = 0
    do i = 1, n
      p(i)%x = p(i)%x + dt * p(i)%y
      p(i)%id = p(i)%id + 1
      total%mass = total%mass + p(i)%mass
      total%x = total%x + p(i)%x * p(i)%mass
      total%id = max(total%id, p(i)%id)
    end do
  end subroutine advance
end module geom
