module particles
  implicit none
  type :: particle
     real(8) :: x, v
  end type particle
contains
  ! Derived-type dummy: no flat C++ counterpart under the convention.
  subroutine advance_cloud(np, dt, cloud)
    integer, intent(in) :: np
    real(8), intent(in) :: dt
    type(particle), intent(inout) :: cloud(np)
    integer :: p
    do p = 1, np
       cloud(p)%x = cloud(p)%x + dt * cloud(p)%v
    end do
  end subroutine advance_cloud
end module particles
