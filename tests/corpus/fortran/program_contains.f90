! Power iteration for the dominant eigenvalue of a small symmetric matrix, with the
! matrix-vector product and the normalisation as internal subroutines.
program program_contains
  implicit none
  integer, parameter :: n = 4
  real(8) :: a(n, n), v(n), w(n), lambda
  integer :: i, j, it

  do j = 1, n
     do i = 1, n
        a(i, j) = 1.0d0 / (i + j - 1) + merge(1.0d0, 0.0d0, i == j)
     end do
  end do
  v = 1.0d0
  call normalise(v)
  do it = 1, 60
     call apply(a, v, w)
     lambda = dot_product(v, w)
     v = w
     call normalise(v)
  end do
  print *, 'dominant eigenvalue', lambda
  print *, 'eigenvector', v

contains

  subroutine apply(m, x, y)
    real(8), intent(in) :: m(:, :), x(:)
    real(8), intent(out) :: y(:)
    y = matmul(m, x)
  end subroutine apply

  subroutine normalise(x)
    real(8), intent(inout) :: x(:)
    x = x / sqrt(sum(x**2))
  end subroutine normalise

end program program_contains
