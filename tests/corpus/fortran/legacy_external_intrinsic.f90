! FORTRAN 77 habits in free form: INTRINSIC and EXTERNAL statements, specific intrinsic
! names (DABS, DSQRT, DMAX1), the type of a function of the same file declared in its
! caller, and comments right before IF blocks.
double precision function scaled_norm(n, x)
  integer n
  double precision x(n)
  intrinsic dabs, dmax1, dsqrt
  double precision big, s
  integer i
  big = 0.0d0
  do i = 1, n
    big = dmax1(big, dabs(x(i)))
  end do
  ! an all-zero vector has norm zero
  if (big .eq. 0.0d0) then
    scaled_norm = 0.0d0
    return
  end if
  s = 0.0d0
  do i = 1, n
    s = s + (x(i) / big)**2
  end do
  scaled_norm = big * dsqrt(s)
end function scaled_norm

subroutine normalise(n, x, nrm)
  integer n
  double precision x(n), nrm
  double precision scaled_norm
  external scaled_norm
  integer i

  nrm = scaled_norm(n, x)
  ! leave a zero vector alone
  if (nrm .gt. 0.0d0) then
    do i = 1, n
      x(i) = x(i) / nrm
    end do
  end if
end subroutine normalise
