! Program mode: the translation must print the same numbers and exit the same way.
program harmonic
  implicit none
  integer :: k
  real(8) :: s

  s = 0.0d0
  do k = 1, 1000
    s = s + 1.0d0 / k
    if (mod(k, 250) == 0) print *, 'H(', k, ') =', s
  end do
end program harmonic
