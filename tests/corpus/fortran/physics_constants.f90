! Small kinematics library with module parameters.
module physics_constants
  implicit none
  real(8), parameter :: pi = 3.14159265358979323846d0
  real(8), parameter :: gravity = 9.80665d0
contains

  ! Small-amplitude period of a pendulum of the given length (absolute value taken).
  function pendulum_period(length) result(t)
    real(8), intent(in) :: length
    real(8) :: t
    t = 2.0d0 * pi * sqrt(abs(length) / gravity)
  end function pendulum_period

  ! Range and apex height of a projectile launched at speed v and angle theta (radians).
  subroutine projectile(v, theta, range, apex)
    real(8), intent(in) :: v, theta
    real(8), intent(out) :: range, apex
    range = v**2 * sin(2.0d0 * theta) / gravity
    apex = (v * sin(theta))**2 / (2.0d0 * gravity)
  end subroutine projectile

end module physics_constants
