! Character dummy: counts occurrences of a letter in a label.
subroutine count_char(label, letter, hits)
  implicit none
  character(len=*), intent(in) :: label
  character(len=1), intent(in) :: letter
  integer, intent(out) :: hits
  integer :: i

  hits = 0
  do i = 1, len(label)
     if (label(i:i) == letter) hits = hits + 1
  end do
end subroutine count_char
