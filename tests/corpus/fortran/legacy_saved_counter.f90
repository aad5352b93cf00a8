! A SAVE statement (and a SAVE attribute) on variables without an initial value: they keep
! their values between calls.
subroutine running_mean(x, mean, calls)
  double precision x, mean
  integer calls
  double precision total
  integer, save :: seen
  save total
  if (calls .eq. 0) then
    total = 0.0d0
    seen = 0
  end if
  total = total + x
  seen = seen + 1
  calls = seen
  mean = total / seen
end subroutine running_mean
