! A BLAS-style rank-1 update and column scaling over a 2-D array: counters that only
! address arrays, and element access through a column-major accessor.
subroutine rank1_scale(m, n, alpha, x, y, a, w)
  integer m, n
  double precision alpha, x(m), y(n), a(m, n), w(n)
  double precision temp
  integer i, j
  do j = 1, n
    if (y(j) .ne. 0.0d0) then
      temp = alpha * y(j)
      do i = 1, m
        a(i, j) = a(i, j) + x(i) * temp
      end do
    end if
  end do
  do j = 1, n
    do i = 1, m
      a(i, j) = a(i, j) * w(j)
    end do
  end do
end subroutine rank1_scale
