! Plane rotation of a pair of scalars, old style: no intent attributes.
! x and y are updated in place, c and s are only read.
subroutine rotate_pair(x, y, c, s)
  implicit none
  double precision x, y, c, s
  double precision t

  t = c * x + s * y
  y = c * y - s * x
  x = t
end subroutine rotate_pair
