! Gathers the positive samples to the front with pack and returns how many there are.
subroutine pack_positive(n, x, packed, npos)
  implicit none
  integer, intent(in) :: n
  real, intent(in) :: x(n)
  real, intent(out) :: packed(n)
  integer, intent(out) :: npos

  npos = count(x > 0.0)
  packed = 0.0
  packed(1:npos) = pack(x, x > 0.0)
end subroutine pack_positive
