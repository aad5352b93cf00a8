! ReLU activation and masked statistics of the activations.
subroutine masked_reductions(n, x, y, pos_sum, first_small, nneg)
  implicit none
  integer, intent(in) :: n
  real, intent(in) :: x(n)
  real, intent(out) :: y(n)
  real, intent(out) :: pos_sum
  integer, intent(out) :: first_small, nneg

  y = max(x, 0.0) + 0.1 * min(x, 0.0)
  pos_sum = sum(x, mask=x > 0.0)
  first_small = minloc(abs(x), dim=1, mask=abs(x) > 0.95)
  nneg = count(.not. (x >= 0.0))
end subroutine masked_reductions
