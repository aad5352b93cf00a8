! Mode of small integer votes: the first bin with the highest count wins (maxloc keeps the first tie).
subroutine integer_argmax(n, votes, nbins, counts, winner, product_nonzero)
  implicit none
  integer, intent(in) :: n, nbins
  integer, intent(in) :: votes(n)
  integer, intent(out) :: counts(nbins)
  integer, intent(out) :: winner
  integer(8), intent(out) :: product_nonzero
  integer :: i, b

  counts = 0
  do i = 1, n
     b = modulo(votes(i), nbins) + 1
     counts(b) = counts(b) + 1
  end do
  winner = maxloc(counts, dim=1)
  product_nonzero = product(int(counts, 8), mask=counts > 0)
end subroutine integer_argmax
