! Builds a 4x4 Hilbert matrix, prints it row by row and reports its trace and
! the product of its diagonal.
program hilbert_program
  implicit none
  integer, parameter :: n = 4
  real(8) :: h(n, n)
  integer :: i, j

  do j = 1, n
     do i = 1, n
        h(i, j) = 1.0d0 / (i + j - 1)
     end do
  end do
  do i = 1, n
     print *, h(i, :)
  end do
  print *, 'trace', sum([(h(i, i), i = 1, n)])
  print *, 'diag product', product([(h(i, i), i = 1, n)])
end program hilbert_program
