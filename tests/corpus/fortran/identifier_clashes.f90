! Fortran names that are reserved words or library names in C++: a variable
! called sum hides the intrinsic, and New/new, Class/class are the same name.
subroutine identifier_clashes(n, x, class, new)
  implicit none
  integer, intent(in) :: n
  real(8), intent(in) :: x(n)
  integer, intent(out) :: class(n)
  real(8), intent(out) :: new(n)
  real(8) :: sum, delete, this
  integer :: i, count, index

  sum = 0.0d0
  count = 0
  do i = 1, n
     sum = sum + x(i)
     if (x(i) > 0.0d0) count = count + 1
  end do
  this = sum / n
  do i = 1, n
     index = i
     delete = X(index) - This
     if (delete > 0.0d0) then
        Class(i) = 1
     else
        CLASS(i) = -1
     end if
     New(i) = delete * count
  end do
end subroutine identifier_clashes
