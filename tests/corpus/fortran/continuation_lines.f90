! Lennard-Jones energy of a 1-D chain; long expressions continued over lines.
function lj_chain_energy(n, x, sigma, epsilon_lj) result(energy)
  implicit none
  integer, intent(in) :: n
  real(8), intent(in) :: x(n)
  real(8), intent(in) :: sigma, epsilon_lj
  real(8) :: energy, r, sr6
  integer :: i, j

  energy = 0.0d0
  do i = 1, n - 1
     do j = i + 1, n
        r = abs(x(j) - x(i)) + &
            abs(sigma) + 0.5d0
        sr6 = (abs(sigma) / r)**6
        energy = energy + 4.0d0 * abs(epsilon_lj) &
                 * (sr6 * sr6 &
                    - sr6)
     end do
  end do
end function lj_chain_energy
