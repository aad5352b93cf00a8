! Leapfrog integrator for charged particles in a uniform field.
module particle_push
  implicit none
  real(8), parameter :: charge_over_mass = -1.75882d0

contains

  ! Kick-drift step: velocities first, then positions with the new velocities.
  subroutine push(np, dt, efield, x, v)
    integer, intent(in) :: np
    real(8), intent(in) :: dt, efield
    real(8), intent(inout) :: x(np), v(np)
    integer :: p

    do p = 1, np
       v(p) = v(p) + charge_over_mass * efield * dt
       x(p) = x(p) + v(p) * dt
    end do
  end subroutine push

  ! Kinetic energy per unit mass of the whole ensemble.
  function kinetic_energy(np, v) result(ek)
    integer, intent(in) :: np
    real(8), intent(in) :: v(np)
    real(8) :: ek
    ek = 0.5d0 * sum(v**2)
  end function kinetic_energy

end module particle_push
