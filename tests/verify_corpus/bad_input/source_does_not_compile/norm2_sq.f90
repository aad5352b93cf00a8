! Squared Euclidean norm; the accumulator was never declared (implicit none catches it).
function norm2_sq(n, x)
  implicit none
  integer, intent(in) :: n
  real(8), intent(in) :: x(n)
  real(8) :: norm2_sq
  integer :: i

  acc = 0.0d0
  do i = 1, n
     acc = acc + x(i)**2
  end do
  norm2_sq = acc
end function norm2_sq
