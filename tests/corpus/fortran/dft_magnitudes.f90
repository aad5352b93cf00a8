! Discrete Fourier transform of a real signal with complex arithmetic;
! returns the real and imaginary parts of each coefficient.
subroutine dft_magnitudes(n, signal, re, im)
  implicit none
  integer, intent(in) :: n
  real(8), intent(in) :: signal(n)
  real(8), intent(out) :: re(n), im(n)
  real(8), parameter :: two_pi = 6.283185307179586d0
  complex(8) :: acc, w
  integer :: k, t

  do k = 0, n - 1
     acc = (0.0d0, 0.0d0)
     do t = 0, n - 1
        w = cmplx(cos(two_pi * k * t / n), -sin(two_pi * k * t / n), kind=8)
        acc = acc + signal(t + 1) * w
     end do
     re(k + 1) = real(acc)
     im(k + 1) = aimag(acc)
  end do
end subroutine dft_magnitudes
