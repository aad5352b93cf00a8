! Particles held in a derived type; the kernel advances a whole cloud.
module particle_cloud
  implicit none
  type :: particle
     real(8) :: x(3)
     real(8) :: v(3)
     real(8) :: mass
  end type particle
contains
  subroutine drift(np, dt, cloud)
    integer, intent(in) :: np
    real(8), intent(in) :: dt
    type(particle), intent(inout) :: cloud(np)
    integer :: p
    do p = 1, np
       cloud(p)%x = cloud(p)%x + dt * cloud(p)%v
    end do
  end subroutine drift
end module particle_cloud
