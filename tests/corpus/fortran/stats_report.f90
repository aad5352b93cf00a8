! Summary statistics of a fixed data set, written with edit descriptors.
program stats_report
  implicit none
  real(8) :: data(10) = [2.5d0, 3.1d0, 4.7d0, 1.2d0, 5.5d0, 3.3d0, 2.2d0, 4.1d0, 3.8d0, 2.9d0]
  real(8) :: mean, sd
  integer :: n, i

  n = size(data)
  mean = sum(data) / n
  sd = sqrt(sum((data - mean)**2) / (n - 1))
  write(*, '(a, i5)') 'samples ', n
  write(*, '(a, f10.4)') 'mean    ', mean
  write(*, '(a, f10.4)') 'stddev  ', sd
  do i = 1, n
     if (abs(data(i) - mean) > sd) write(*, '(a, i3, f8.2)') 'outlier ', i, data(i)
  end do
end program stats_report
