! Longest Collatz chain for starting values below a bound, in 64-bit integers.
program collatz_program
  implicit none
  integer(8) :: start, value, best_start
  integer :: steps, best_steps

  best_steps = 0
  best_start = 1
  do start = 1, 30000
     value = start
     steps = 0
     do while (value /= 1)
        if (mod(value, 2_8) == 0) then
           value = value / 2
        else
           value = 3 * value + 1
        end if
        steps = steps + 1
     end do
     if (steps > best_steps) then
        best_steps = steps
        best_start = start
     end if
  end do
  print *, 'longest chain below 30000 starts at', best_start
  print *, 'steps', best_steps
end program collatz_program
