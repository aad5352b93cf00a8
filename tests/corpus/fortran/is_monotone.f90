! True when the sequence never decreases by more than tol between neighbours.
logical function is_monotone(n, x, tol)
  implicit none
  integer, intent(in) :: n
  real(8), intent(in) :: x(n)
  real(8), intent(in) :: tol
  integer :: i

  is_monotone = .true.
  do i = 2, n
     if (x(i) < x(i - 1) - abs(tol) * 2.0d0) then
        is_monotone = .false.
        return
     end if
  end do
end function is_monotone
