! Constants defined by powers (as NPB's random number generator defines r23 and t23).
subroutine split_mantissa(x, hi, lo)
  double precision x, hi, lo
  double precision r23, t23
  parameter (r23 = 0.5d0**23, t23 = 2.0d0**23)
  hi = dble(int(r23 * x))
  lo = x - t23 * hi
end subroutine split_mantissa
