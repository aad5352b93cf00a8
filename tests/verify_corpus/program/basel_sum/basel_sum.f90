! Partial sums of the Basel series  sum 1/k**2 -> pi**2/6, printed list-directed.
program basel_sum
  implicit none
  integer, parameter :: nterms = 1000
  integer :: k
  real(8) :: s, exact

  exact = acos(-1.0d0)**2 / 6.0d0
  s = 0.0d0
  do k = 1, nterms
     s = s + 1.0d0 / real(k, 8)**2
     if (mod(k, 250) == 0) print *, k, s
  end do
  print *, 'error', exact - s
end program basel_sum
