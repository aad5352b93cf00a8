! Classical Runge-Kutta steps for a damped harmonic oscillator y'' + c y' + k y = 0.
module rk4_oscillator
  implicit none
  real(8), parameter :: stiffness = 4.0d0, damping = 0.3d0
contains

  subroutine deriv(y, dydt)
    real(8), intent(in) :: y(2)
    real(8), intent(out) :: dydt(2)
    dydt(1) = y(2)
    dydt(2) = -stiffness * y(1) - damping * y(2)
  end subroutine deriv

  subroutine rk4_steps(nsteps, dt, y)
    integer, intent(in) :: nsteps
    real(8), intent(in) :: dt
    real(8), intent(inout) :: y(2)
    real(8) :: k1(2), k2(2), k3(2), k4(2)
    integer :: step

    do step = 1, nsteps
       call deriv(y, k1)
       call deriv(y + 0.5d0 * dt * k1, k2)
       call deriv(y + 0.5d0 * dt * k2, k3)
       call deriv(y + dt * k3, k4)
       y = y + dt / 6.0d0 * (k1 + 2.0d0 * k2 + 2.0d0 * k3 + k4)
    end do
  end subroutine rk4_steps

end module rk4_oscillator
