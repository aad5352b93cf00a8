! Writes a small table to a scratch data file, reads it back and prints the column sums.
program file_roundtrip
  implicit none
  integer, parameter :: n = 5
  integer :: i, unit_no, k
  real(8) :: x, y, sx, sy

  open(newunit=unit_no, file='table.dat', status='replace', action='write')
  do i = 1, n
     write(unit_no, *) i, 0.5d0 * i, sqrt(real(i, 8))
  end do
  close(unit_no)

  sx = 0.0d0
  sy = 0.0d0
  open(newunit=unit_no, file='table.dat', status='old', action='read')
  do i = 1, n
     read(unit_no, *) k, x, y
     sx = sx + x
     sy = sy + y
  end do
  close(unit_no, status='delete')
  print *, 'rows', n, 'sum x', sx, 'sum y', sy
end program file_roundtrip
