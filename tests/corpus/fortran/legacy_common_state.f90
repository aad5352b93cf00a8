! A random-number stream kept in a COMMON block, as the NAS kernels keep their seed:
! each call advances the seed and records how many values were drawn.
subroutine draw(n, v)
  implicit none
  integer, intent(in) :: n
  double precision, intent(out) :: v(n)
  integer, parameter :: nhist = 4
  double precision :: seed, mult
  integer :: drawn, hist(nhist)
  common /stream/ seed, mult, drawn, hist
  integer :: i, bin
  do i = 1, n
    seed = mod(seed * mult + 0.5d0, 1.0d0)
    v(i) = seed
    bin = 1 + int(seed * nhist)
    if (bin > nhist) bin = nhist
    if (bin < 1) bin = 1
    hist(bin) = hist(bin) + 1
  end do
  drawn = drawn + n
end subroutine draw
