! Prints a rotation matrix with a repeated edit descriptor, one row per record.
program repeat_format_program
  implicit none
  real(8) :: r(3, 3), angle
  integer :: i

  angle = 0.5d0
  r = 0.0d0
  r(1, 1) = cos(angle)
  r(1, 2) = -sin(angle)
  r(2, 1) = sin(angle)
  r(2, 2) = cos(angle)
  r(3, 3) = 1.0d0
  do i = 1, 3
     write(*, '(3f10.5)') r(i, :)
  end do
  write(*, '(a, f8.4)') 'det =', r(1, 1) * r(2, 2) - r(1, 2) * r(2, 1)
end program repeat_format_program
