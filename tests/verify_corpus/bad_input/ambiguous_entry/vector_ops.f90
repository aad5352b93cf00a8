module vector_ops
  implicit none
contains
  subroutine vscale(n, alpha, x)
    integer, intent(in) :: n
    real(8), intent(in) :: alpha
    real(8), intent(inout) :: x(n)
    x = alpha * x
  end subroutine vscale

  function vsum(n, x) result(s)
    integer, intent(in) :: n
    real(8), intent(in) :: x(n)
    real(8) :: s
    s = sum(x)
  end function vsum
end module vector_ops
