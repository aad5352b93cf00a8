! Maps integer status codes to severity classes with select case ranges.
subroutine classify_codes(n, codes, severity, nerrors)
  implicit none
  integer, intent(in) :: n
  integer, intent(in) :: codes(n)
  integer, intent(out) :: severity(n)
  integer, intent(out) :: nerrors
  integer :: i

  nerrors = 0
  do i = 1, n
     select case (codes(i))
     case (:-1)
        severity(i) = 3
        nerrors = nerrors + 1
     case (0)
        severity(i) = 0
     case (1:9)
        severity(i) = 1
     case (10, 20, 30)
        severity(i) = 2
     case default
        severity(i) = 1
     end select
  end do
end subroutine classify_codes
