! Three-point smoothing of a signal, parallel over points with a private temporary.
subroutine omp_smooth_private(n, signal, smoothed)
  implicit none
  integer, intent(in) :: n
  real, intent(in) :: signal(n)
  real, intent(out) :: smoothed(n)
  integer :: i
  real :: left, right

  !$omp parallel do private(left, right)
  do i = 1, n
     left = signal(max(i - 1, 1))
     right = signal(min(i + 1, n))
     smoothed(i) = 0.25 * left + 0.5 * signal(i) + 0.25 * right
  end do
  !$omp end parallel do
end subroutine omp_smooth_private
