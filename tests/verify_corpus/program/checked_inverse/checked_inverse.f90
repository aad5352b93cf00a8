! Inverts a 2x2 matrix; a singular matrix is a fatal error (error stop, status 1).
program checked_inverse
  implicit none
  real(8) :: a(2, 2), inv(2, 2), det
  integer :: trial

  do trial = 1, 2
     a = reshape([4.0d0, 2.0d0, 6.0d0, 3.0d0 + (2 - trial) * 1.0d0], [2, 2])
     det = a(1, 1) * a(2, 2) - a(1, 2) * a(2, 1)
     print *, 'trial', trial, 'det', det
     if (abs(det) < 1.0d-12) error stop 'singular matrix'
     inv(1, 1) = a(2, 2) / det
     inv(2, 2) = a(1, 1) / det
     inv(1, 2) = -a(1, 2) / det
     inv(2, 1) = -a(2, 1) / det
     print *, inv(1, :)
     print *, inv(2, :)
  end do
end program checked_inverse
