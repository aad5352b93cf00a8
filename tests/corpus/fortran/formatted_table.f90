! Tabulates a damped cosine with repeat counts, tabbing and unlimited format items.
program formatted_table
  implicit none
  integer :: i
  real(8) :: t(5), y(5)

  do i = 1, 5
     t(i) = 0.5d0 * (i - 1)
     y(i) = exp(-t(i)) * cos(3.0d0 * t(i))
  end do
  write(*, '(2(1x, a10), t30, a)') 't', 'y', 'note'
  do i = 1, 5
     write(*, '(1x, f10.3, 1x, es12.4e3, t30, sp, i4)') t(i), y(i), i
  end do
  write(*, '(*(g0.6, :, ", "))') y
end program formatted_table
