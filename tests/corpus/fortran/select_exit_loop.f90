! Runs a tiny instruction tape: select case inside a loop, where `exit` in a
! case leaves the loop (not just the select) and `cycle` skips to the next step.
subroutine select_exit_loop(n, tape, acc, steps)
  implicit none
  integer, intent(in) :: n
  integer, intent(in) :: tape(n)
  integer, intent(out) :: acc, steps
  integer :: pc, op

  acc = 0
  steps = 0
  do pc = 1, n
     op = modulo(tape(pc), 6)
     steps = steps + 1
     select case (op)
     case (0)
        exit
     case (1)
        acc = acc + pc
     case (2)
        acc = acc * 2
     case (3)
        cycle
     case (4:5)
        acc = acc - op
        if (acc < -50) exit
     end select
     acc = mod(acc, 1000)
  end do
end subroutine select_exit_loop
