! Insertion sort the FORTRAN 77 way: GO TO the labelled CONTINUE that ends the outer
! DO loop starts its next iteration.
subroutine insertion_sort(n, d)
  integer n
  double precision d(n)
  double precision t
  integer i, j
  do 30 i = 2, n
    do j = i, 2, -1
      if (d(j) .lt. d(j - 1)) then
        t = d(j)
        d(j) = d(j - 1)
        d(j - 1) = t
      else
        go to 30
      end if
    end do
30 continue
end subroutine insertion_sort
