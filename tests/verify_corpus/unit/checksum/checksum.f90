! Polynomial rolling hash of a sequence of 64-bit integers, modulo a prime.
function rolling_hash(n, keys) result(h)
  implicit none
  integer, intent(in) :: n
  integer(8), intent(in) :: keys(n)
  integer(8) :: h
  integer(8), parameter :: base = 31_8, modulus = 1000000007_8
  integer :: i

  h = 0_8
  do i = 1, n
     h = mod(h * base + keys(i), modulus)
  end do
end function rolling_hash
