! Shift register update and in-place reversal with overlapping array sections:
! the right-hand side is evaluated completely before any element is stored.
subroutine shift_overlap(n, history, newest, reversed)
  implicit none
  integer, intent(in) :: n
  real(8), intent(inout) :: history(n)
  real(8), intent(in) :: newest
  real(8), intent(inout) :: reversed(n)

  if (n > 1) history(2:n) = history(1:n-1)
  history(1) = newest
  reversed = reversed(n:1:-1)
end subroutine shift_overlap
