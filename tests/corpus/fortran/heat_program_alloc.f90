! 1-D heat diffusion program: allocatable grid, fixed steps, prints samples of the profile.
program heat_program_alloc
  implicit none
  integer :: n, step, i
  real(8), allocatable :: u(:), unew(:)
  real(8) :: r

  n = 21
  r = 0.4d0
  allocate(u(n), unew(n))
  u = 0.0d0
  u(n / 2 + 1) = 1.0d0
  do step = 1, 50
     unew(1) = 0.0d0
     unew(n) = 0.0d0
     do i = 2, n - 1
        unew(i) = u(i) + r * (u(i - 1) - 2.0d0 * u(i) + u(i + 1))
     end do
     u = unew
  end do
  do i = 1, n, 4
     print *, i, u(i)
  end do
  print *, 'total heat', sum(u)
  deallocate(u, unew)
end program heat_program_alloc
