! Normal-equation matrix and right-hand side of a least-squares fit: AtA = A^T A, Atb = A^T b.
subroutine normal_equations(m, n, a, b, ata, atb)
  implicit none
  integer, intent(in) :: m, n
  real(8), intent(in) :: a(m, n), b(m)
  real(8), intent(out) :: ata(n, n), atb(n)

  ata = matmul(transpose(a), a)
  atb = matmul(b, a)
end subroutine normal_equations
