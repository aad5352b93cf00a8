! Decibel table of a decaying signal; the last sample is exactly zero, whose
! level is -Infinity.  Large values print without an exponent in list-directed output.
program log_table
  implicit none
  real(8) :: amplitude(5) = [1.0d8, 1.0d0, 1.0d-3, 2.5d-7, 0.0d0]
  real(8) :: db
  integer :: i

  do i = 1, size(amplitude)
     db = 20.0d0 * log10(amplitude(i))
     print *, i, amplitude(i), db
  end do
  print *, 'peak', maxval(amplitude)
end program log_table
