! Legacy program sharing its parameters with a subroutine through a COMMON block.
program common_block_program
  implicit none
  double precision alpha, beta
  integer nsteps
  common /params/ alpha, beta, nsteps
  double precision x

  alpha = 0.5d0
  beta = 0.25d0
  nsteps = 10
  x = 1.0d0
  call relax(x)
  print *, 'x after relaxation', x
end program common_block_program

subroutine relax(x)
  implicit none
  double precision x
  double precision alpha, beta
  integer nsteps, k
  common /params/ alpha, beta, nsteps
  do k = 1, nsteps
     x = x - alpha * (x - beta)
  end do
end subroutine relax
