module conv_mod
  use iso_fortran_env, only: int64, real64
  implicit none
contains
  logical function classify(n, m, k, big, a, flags, total, scale) result(any_big)
    integer, intent(in) :: n, m
    integer, value :: k
    integer(int64), intent(in) :: big(n)
    real(real64), intent(inout) :: a(0:n-1, m)
    logical, intent(out) :: flags(n)
    integer(int64), intent(out) :: total
    real :: scale
    integer :: i, j
    total = 0
    any_big = .false.
    do i = 1, n
      flags(i) = big(i) > k
      if (flags(i)) any_big = .true.
      total = total + big(i) * k
    end do
    do j = 1, m
      do i = 0, n - 1
        a(i, j) = a(i, j) * scale + j
      end do
    end do
    scale = scale * 2
  end function classify
end module conv_mod
