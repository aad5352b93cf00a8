! Simulation settings echoed with namelist output, as many codes log their input.
program namelist_settings
  implicit none
  integer :: nsteps = 100
  real(8) :: dt = 0.01d0, viscosity = 1.5d-3
  logical :: periodic = .true.
  namelist /settings/ nsteps, dt, viscosity, periodic

  nsteps = 2 * nsteps
  write(*, nml=settings)
  print *, 'end time', nsteps * dt
end program namelist_settings
