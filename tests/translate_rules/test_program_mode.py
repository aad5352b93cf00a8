"""Programs become int main(); their output must match gfortran's list-directed and simple
formatted output closely enough for the engine's program-mode comparison."""

from __future__ import annotations

import pytest

from .conftest import needs_compilers, translated, verify_translation

pytestmark = needs_compilers

PROGRAMS = {
    "list_directed_kinds": """
        program show
          implicit none
          integer :: i
          integer(8) :: big
          real :: x(4)
          real(8) :: d
          logical :: ok
          complex :: z
          character(len=1) :: grade
          big = 123456789012_8
          d = 1.0d0 / 3.0d0
          ok = .true.
          z = (1.5, -2.0)
          grade = 'B'
          do i = 1, 4
            x(i) = 10.0**(i - 3) * 1.25
          end do
          print *, 'values:', x
          print *, 'abc', 'def', i, big, grade
          write(*, *) d, 1.0d-5, 1.0d20, -0.0, ok, .not. ok
          print *, z, real(z), aimag(z), abs(z)
          print *, 0.1, 1.0e8, 1.0e9, huge(1), 7 / 2, -7 / 2, 2.0**(-1)
          print *, (x(i) * 2.0, i = 1, 4, 2)
          print *
        end program show
        """,
    "formatted_write": """
        program report
          implicit none
          integer :: n
          real(8) :: mean
          n = 42
          mean = 3.14159265d0
          write(*, '(a, i5)') 'samples ', n
          write(*, '(a, f10.4, 2x, es12.4)') 'mean', mean, mean * 1000.0d0
          print '(i0, 1x, a, 3(1x, i3))', n, 'x', 1, 2, 3
          write(*, '(l2, /, e12.4)') .true., mean
          write(6, 100) 'n', n, mean
        100 format(a, 1x, i4, f10.3)
        end program report
        """,
    "formatted_arrays_of_runtime_size": """
        program fmt_arrays
          implicit none
          integer :: n, i, j
          real(8), allocatable :: a(:, :)
          integer :: k(7)
          n = 3
          allocate(a(n, n + 1))
          do j = 1, n + 1
            do i = 1, n
              a(i, j) = i + 0.1d0 * j
            end do
          end do
          do i = 1, n
            write(*, '(3f8.3)') (a(i, j), j = 1, n + 1)
          end do
          write(*, '(2es12.4)') a(:, 1)
          k = [(i * i, i = 1, 7)]
          write(*, '(3i5)') k
          write(*, '(*(i4))') k(1:n)
          print *, sum(a(2, :)), size(a, 2)
        end program fmt_arrays
        """,
    "internal_procedures_and_parameters": """
        program integrate
          implicit none
          integer, parameter :: n = 64
          real(8), parameter :: a = 0.0d0, b = 2.0d0
          real(8) :: h, total
          integer :: i
          h = (b - a) / n
          total = 0.5d0 * (f(a) + f(b))
          do i = 1, n - 1
            total = total + f(a + i * h)
          end do
          print *, 'trapezoid', total * h
          call report(n)
        contains
          pure real(8) function f(x)
            real(8), intent(in) :: x
            f = x * x * exp(-x)
          end function f
          subroutine report(k)
            integer, intent(in) :: k
            print *, 'intervals', k, 'width', (b - a) / k
          end subroutine report
        end program integrate
        """,
    "internal_assumed_shape": """
        program power_iteration
          implicit none
          integer, parameter :: n = 4
          real(8) :: a(n, n), v(n), w(n), lambda
          integer :: i, j, it
          do j = 1, n
            do i = 1, n
              a(i, j) = 1.0d0 / (i + j - 1) + merge(1.0d0, 0.0d0, i == j)
            end do
          end do
          v = 1.0d0
          call normalise(v)
          do it = 1, 30
            call apply(a, v, w)
            lambda = dot_product(v, w)
            v = w
            call normalise(v(1:n))
          end do
          print *, 'dominant eigenvalue', lambda, size_of(a(2:n, :))
        contains
          subroutine apply(m, x, y)
            real(8), intent(in) :: m(:, :), x(:)
            real(8), intent(out) :: y(:)
            y = matmul(m, x)
          end subroutine apply
          subroutine normalise(x)
            real(8), intent(inout) :: x(:)
            x = x / sqrt(sum(x**2))
          end subroutine normalise
          integer function size_of(b)
            real(8), intent(in) :: b(:, :)
            size_of = size(b) + 10 * size(b, 1) + nint(b(1, 1))
          end function size_of
        end program power_iteration
        """,
    "allocatable_and_module": """
        module counters
          implicit none
          integer :: calls = 0
          real, parameter :: factor = 1.5
        contains
          subroutine tick(x)
            real, intent(inout) :: x
            calls = calls + 1
            x = x * factor
          end subroutine tick
        end module counters

        program use_module
          use counters
          implicit none
          real, allocatable :: v(:)
          integer :: i, n
          n = 5
          allocate(v(n))
          v = [(real(i), i = 1, 5)]
          do i = 1, n
            call tick(v(i))
          end do
          print *, calls, sum(v), maxval(v), minloc(v, 1)
          print *, v(n:1:-1)
          deallocate(v)
        end program use_module
        """,
    "old_style_implicit": """
        program legacy
          dimension w(3)
          parameter (nmax = 3)
          data_sum = 0.0
          do 20 k = 1, nmax
            w(k) = k * 0.5
            data_sum = data_sum + w(k)
        20 continue
          print *, data_sum, w
        end program legacy
        """,
    "character_strings": """
        program strings
          implicit none
          character(len=12) :: name, label
          character(len=*), parameter :: unit = 'kg'
          character(len=32) :: line, word
          character :: c
          integer :: i, start, comma
          name = 'mass'
          label = trim(name) // ' [' // unit // ']'
          print *, label, len(label), len_trim(label), 'end'
          if (name == 'mass' .and. name /= 'massive') print *, 'is mass'
          c = name(1:1)
          print *, c, index(label, '['), label(2:4), iachar(c), achar(iachar(c) - 32)
          write(*, '(a, a8, a)') '<', name, '>'
          line = 'alpha,beta,gamma'
          start = 1
          do
            comma = index(line(start:), ',')
            if (comma == 0) then
              word = line(start:)
            else
              word = line(start:start + comma - 2)
            end if
            word(1:1) = achar(iachar(word(1:1)) - 32)
            print *, trim(word), len_trim(word)
            if (comma == 0) exit
            start = start + comma
          end do
        end program strings
        """,
    "common_block": """
        program common_block
          implicit none
          double precision alpha, beta
          integer nsteps
          common /params/ alpha, beta, nsteps
          double precision x
          alpha = 0.5d0
          beta = 0.25d0
          nsteps = 10
          x = 1.0d0
          call relax(x)
          print *, 'x after relaxation', x, nsteps
        end program common_block

        subroutine relax(x)
          implicit none
          double precision x
          double precision alpha, beta
          integer nsteps, k
          common /params/ alpha, beta, nsteps
          do k = 1, nsteps
            x = x - alpha * (x - beta)
          end do
          nsteps = nsteps + 1
        end subroutine relax
        """,
    "stop_with_code": """
        program stopper
          implicit none
          integer :: i
          do i = 1, 10
            if (i * i > 20) then
              print *, 'stopping at', i
              stop 3
            end if
          end do
          print *, 'never'
        end program stopper
        """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program_output_matches_gfortran(name, tmp_path):
    verify_translation(PROGRAMS[name], tmp_path)


def test_program_becomes_main_with_helper_inline():
    code = translated(PROGRAMS["list_directed_kinds"])
    assert "int main() {" in code
    assert "class ListDirected" in code  # the helper lives in the generated file, no header
    assert '#include "' not in code


@needs_compilers
def test_substrings_of_a_character_dummy_and_integer_fields_too_narrow_print_as_gfortran_does(tmp_path):
    code, _ = verify_translation("""
        program fields
          call report('abc  ', 7)
          call report('a longer name', 123)
          call report('x', -5)
        contains
          subroutine report(name, code)
            character*(*) name
            integer code
            write(*, fmt=10) name(1:len_trim(name)), code, code
        10  format(' [', a, '] code ', i2, ' wide ', i5.3)
          end subroutine
        end program
        """, tmp_path)
    assert "std::string(name).substr(0, fortran_len_trim(std::string(name)))" in code
    assert "fortran_int_field(code, 2, 1)" in code
