! Splits a comma-separated list of words and prints them reversed and upper-cased.
program string_tokens
  implicit none
  character(len=64) :: line, word
  integer :: start, comma, i, code

  line = 'alpha,beta,gamma,delta'
  start = 1
  do
     comma = index(line(start:), ',')
     if (comma == 0) then
        word = line(start:)
     else
        word = line(start:start + comma - 2)
     end if
     do i = 1, len_trim(word)
        code = iachar(word(i:i))
        if (code >= iachar('a') .and. code <= iachar('z')) word(i:i) = achar(code - 32)
     end do
     print *, trim(word), len_trim(word)
     if (comma == 0) exit
     start = start + comma
  end do
end program string_tokens
