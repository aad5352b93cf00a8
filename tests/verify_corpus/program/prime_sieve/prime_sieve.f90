! Sieve of Eratosthenes; prints the primality flag of the first numbers and
! the count of primes below the limit.
program prime_sieve
  implicit none
  integer, parameter :: limit = 200
  logical :: is_prime(limit)
  integer :: i, j, nprimes

  is_prime = .true.
  is_prime(1) = .false.
  do i = 2, int(sqrt(real(limit)))
     if (.not. is_prime(i)) cycle
     do j = i * i, limit, i
        is_prime(j) = .false.
     end do
  end do

  do i = 1, 12
     print *, i, is_prime(i)
  end do
  nprimes = count(is_prime)
  print *, 'primes below', limit, ':', nprimes
end program prime_sieve
