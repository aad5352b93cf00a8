! Counts primes up to limit with a sieve held in an allocatable work array.
integer function prime_count(limit)
  implicit none
  integer, intent(in) :: limit
  logical, allocatable :: composite(:)
  integer :: i, j, upper

  prime_count = 0
  if (limit < 2) return
  upper = min(limit, 100000)
  allocate(composite(upper))
  composite = .false.
  do i = 2, upper
     if (composite(i)) cycle
     prime_count = prime_count + 1
     do j = 2 * i, upper, i
        composite(j) = .true.
     end do
  end do
  deallocate(composite)
end function prime_count
