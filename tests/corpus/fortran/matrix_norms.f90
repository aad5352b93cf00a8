! Operator norms of a general matrix.
module matrix_norms
  implicit none
contains

  ! Maximum absolute column sum.
  function norm_one(m, n, a) result(r)
    integer, intent(in) :: m, n
    real(8), intent(in) :: a(m, n)
    real(8) :: r
    integer :: j
    r = 0.0d0
    do j = 1, n
       r = max(r, sum(abs(a(:, j))))
    end do
  end function norm_one

  ! Maximum absolute row sum.
  function norm_inf(m, n, a) result(r)
    integer, intent(in) :: m, n
    real(8), intent(in) :: a(m, n)
    real(8) :: r
    integer :: i
    r = 0.0d0
    do i = 1, m
       r = max(r, sum(abs(a(i, :))))
    end do
  end function norm_inf

  ! Largest entry in magnitude.
  function norm_max(m, n, a) result(r)
    integer, intent(in) :: m, n
    real(8), intent(in) :: a(m, n)
    real(8) :: r
    r = maxval(abs(a))
  end function norm_max

end module matrix_norms
