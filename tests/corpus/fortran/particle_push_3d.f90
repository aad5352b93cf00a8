! Boris-free leapfrog push of np particles in 3-D with a uniform field and a
! reflecting box [0,1]^3.
subroutine particle_push_3d(np, dt, field, pos, vel)
  implicit none
  integer, intent(in) :: np
  real(8), intent(in) :: dt
  real(8), intent(in) :: field(3)
  real(8), intent(inout) :: pos(3, np), vel(3, np)
  integer :: p, d

  do p = 1, np
     do d = 1, 3
        vel(d, p) = vel(d, p) + dt * field(d)
        pos(d, p) = pos(d, p) + dt * vel(d, p)
        if (pos(d, p) < 0.0d0) then
           pos(d, p) = -pos(d, p)
           vel(d, p) = -vel(d, p)
        else if (pos(d, p) > 1.0d0) then
           pos(d, p) = 2.0d0 - pos(d, p)
           vel(d, p) = -vel(d, p)
        end if
     end do
  end do
end subroutine particle_push_3d
