! Table of powers with integer(8) cubes and a closing line of column sums.
program power_table
  implicit none
  integer :: i
  integer(8) :: sum2, sum3

  sum2 = 0
  sum3 = 0
  do i = 1, 6
     print *, i, i**2, int(i, 8)**3 * 1000000_8
     sum2 = sum2 + i**2
     sum3 = sum3 + int(i, 8)**3 * 1000000_8
  end do
  print *, 'sums', sum2, sum3
end program power_table
