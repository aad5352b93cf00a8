! Combines logical masks of two samples: both positive, exactly one positive, neither.
subroutine logical_flags(n, x, y, both, exactly_one, nneither)
  implicit none
  integer, intent(in) :: n
  real(8), intent(in) :: x(n), y(n)
  logical, intent(out) :: both(n), exactly_one(n)
  integer, intent(out) :: nneither
  logical :: px, py
  integer :: i

  nneither = 0
  do i = 1, n
     px = x(i) > 0.0d0
     py = y(i) > 0.0d0
     both(i) = px .and. py
     exactly_one(i) = px .neqv. py
     if (.not. (px .or. py)) nneither = nneither + 1
  end do
end subroutine logical_flags
