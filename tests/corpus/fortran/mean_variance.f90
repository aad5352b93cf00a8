! Two-pass mean and unbiased variance of a sample.
subroutine mean_variance(n, x, mean, var)
  implicit none
  integer, intent(in) :: n
  real(8), intent(in) :: x(n)
  real(8), intent(out) :: mean, var
  integer :: i

  mean = sum(x) / n
  var = 0.0d0
  if (n < 2) return
  do i = 1, n
     var = var + (x(i) - mean)**2
  end do
  var = var / (n - 1)
end subroutine mean_variance
