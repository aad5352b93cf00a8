"""Construct by construct: each Fortran source is translated by the rules, compiled with g++
(-Wall -Wextra, no warnings) and verified equivalent by the engine on generated inputs."""

from __future__ import annotations

import pytest

from .conftest import needs_compilers, verify_translation

pytestmark = needs_compilers

CASES = {
    "lower_bounds_and_steps": ("""
        ! Shifted bounds, negative and non-unit steps.
        subroutine shifted(n, x, y)
          implicit none
          integer, intent(in) :: n
          real(8), intent(in) :: x(0:n-1)
          real(8), intent(inout) :: y(-1:n-2)
          integer :: i
          do i = n - 1, 0, -1
            y(i - 1) = y(i - 1) + 2.0d0 * x(i)
          end do
          do i = 0, n - 1, 3
            y(i - 1) = -y(i - 1)
          end do
        end subroutine shifted
        """, None),
    "column_major_2d": ("""
        subroutine scale_rows(m, n, a, w)
          implicit none
          integer, intent(in) :: m, n
          real, intent(inout) :: a(m, n)
          real, intent(in) :: w(m)
          integer :: i, j
          do j = 1, n
            do i = 1, m
              a(i, j) = a(i, j) * w(i) + real(j)
            end do
          end do
        end subroutine scale_rows
        """, None),
    "exit_cycle_labelled": ("""
        subroutine first_hits(n, a, limit, count, found_i, found_j)
          implicit none
          integer, intent(in) :: n
          real, intent(in) :: a(n, n), limit
          integer, intent(out) :: count, found_i, found_j
          integer :: i, j
          count = 0
          found_i = 0
          found_j = 0
          outer: do j = 1, n
            inner: do i = 1, n
              if (a(i, j) < 0.0) cycle inner
              if (a(i, j) < -limit) cycle outer
              count = count + 1
              if (a(i, j) > limit) then
                found_i = i
                found_j = j
                exit outer
              end if
            end do inner
          end do outer
        end subroutine first_hits
        """, None),
    "do_while_and_bare_do": ("""
        subroutine halve(x, steps, total)
          implicit none
          real(8), intent(inout) :: x
          integer, intent(out) :: steps
          real(8), intent(out) :: total
          steps = 0
          total = 0.0d0
          x = abs(x) + 1.0d0
          do while (x > 1.0d-3)
            x = x / 2.0d0
            steps = steps + 1
          end do
          do
            total = total + x
            if (total > 1.0d0 .or. x == 0.0d0) exit
            x = x * 3.0d0
          end do
        end subroutine halve
        """, None),
    "if_chain_and_logicals": ("""
        subroutine classify(x, y, flag, code)
          implicit none
          real, intent(in) :: x, y
          logical, intent(in) :: flag
          integer, intent(out) :: code
          if (x > y .and. .not. flag) then
            code = 1
          else if (x < y .or. (flag .eqv. (x == y))) then
            code = 2
          else if (flag .neqv. .true.) then
            code = 3
          else
            code = 4
          end if
        end subroutine classify
        """, None),
    "select_case_ranges": ("""
        subroutine buckets(n, k, counts)
          implicit none
          integer, intent(in) :: n
          integer, intent(in) :: k(n)
          integer, intent(out) :: counts(5)
          integer :: i
          counts = 0
          do i = 1, n
            select case (k(i))
            case (:-2)
              counts(1) = counts(1) + 1
            case (-1, 0, 1)
              counts(2) = counts(2) + 1
            case (2:5)
              counts(3) = counts(3) + 1
            case (6:)
              counts(4) = counts(4) + 1
            case default
              counts(5) = counts(5) + 1
            end select
          end do
        end subroutine buckets
        """, None),
    "select_case_switch": ("""
        integer function weekday_hours(day)
          implicit none
          integer, intent(in) :: day
          select case (day)
          case (1, 7)
            weekday_hours = 0
          case (5)
            weekday_hours = 6
          case default
            weekday_hours = 8
          end select
        end function weekday_hours
        """, None),
    "whole_arrays_and_sections": ("""
        subroutine smooth(n, x, y, z)
          implicit none
          integer, intent(in) :: n
          real(8), intent(in) :: x(n)
          real(8), intent(inout) :: y(n)
          real(8), intent(out) :: z(n)
          z = 0.0d0
          z(2:n-1) = 0.25d0 * x(1:n-2) + 0.5d0 * x(2:n-1) + 0.25d0 * x(3:n)
          y = sqrt(abs(y)) + exp(-x**2)
          y(n:1:-2) = y(n:1:-2) * 2.0d0
          y(2:n) = y(1:n-1)
        end subroutine smooth
        """, None),
    "reductions_contiguous": ("""
        subroutine stats(n, x, s, p, hi, imax, d)
          implicit none
          integer, intent(in) :: n
          real(8), intent(in) :: x(n)
          real(8), intent(out) :: s, p, hi, d
          integer, intent(out) :: imax
          s = sum(x)
          p = product(x)
          hi = maxval(x)
          imax = maxloc(x, 1)
          d = dot_product(x, x)
        end subroutine stats
        """, None),
    "reductions_sections_masks": ("""
        subroutine section_stats(m, n, a, x, lo, imin, npos, s2, rowmax)
          implicit none
          integer, intent(in) :: m, n
          real(8), intent(in) :: a(m, n), x(n)
          real(8), intent(out) :: lo, s2, rowmax
          integer, intent(out) :: imin, npos
          lo = minval(a(2:m, :))
          imin = minloc(abs(x), dim=1)
          npos = count(x > 0.0d0) + size(a)
          s2 = sum(x, mask=x < 0.0d0) + sum(a * 2.0d0) + dot_product(x, a(1, :)) + product(x(1:min(n, 4)))
          rowmax = maxval(a(m, :)) / size(x)
          if (any(x > 0.5d0) .and. .not. all(x > 0.5d0)) rowmax = -rowmax
        end subroutine section_stats
        """, None),
    "matmul_transpose": ("""
        subroutine products(m, n, a, b, c, t, v, w)
          implicit none
          integer, intent(in) :: m, n
          real(8), intent(in) :: a(m, n), b(n, m), v(n)
          real(8), intent(out) :: c(m, m), t(n, m), w(m)
          c = matmul(a, b)
          t = transpose(a)
          w = 2.0d0 * matmul(a, v) - v(1)
        end subroutine products
        """, None),
    "integer_division_power_mod": ("""
        subroutine int_arith(i, j, k1, k2, k3, k5)
          implicit none
          integer, intent(in) :: i, j
          integer, intent(out) :: k1, k2, k3, k5
          integer :: jj
          jj = j
          if (jj == 0) jj = 3
          k1 = i / jj
          k2 = mod(i, jj) + modulo(i, jj) * 10
          k3 = 2**(abs(jj) - 1) + jj**(-1) + sign(i, jj)
          k5 = (-2)**3 + (-1)**(-3) + i**2
        end subroutine int_arith
        """, None),
    "real_division_power_conversions": ("""
        subroutine real_arith(i, x, r1, r2, r3, r4, k4, x2)
          implicit none
          integer, intent(in) :: i
          real, intent(in) :: x
          real, intent(out) :: r1, r2, r3, r4, x2
          integer, intent(out) :: k4
          r1 = real(i) / 3 + i / 3
          r2 = x**2 + x**3 - abs(x)**0.5
          r3 = modulo(x, 0.3) + mod(x, -0.3) + sign(1.5, x)
          r4 = 1 / 2 * x + 1.0 / 2 * x
          k4 = int(x * 10.0) + nint(x * 7.5) + floor(x) + ceiling(x)
          x2 = max(x, 0.0, real(i)) - min(x, -1.0)
        end subroutine real_arith
        """, None),
    "kinds_and_parameters": ("""
        subroutine kinds(n, x, total, big)
          use iso_fortran_env, only: real64, int64
          implicit none
          integer, parameter :: dp = kind(1.0d0)
          integer, parameter :: sp = selected_real_kind(6)
          real(dp), parameter :: half = 0.5_dp
          integer, intent(in) :: n
          real(sp), intent(in) :: x(n)
          real(real64), intent(out) :: total
          integer(int64), intent(out) :: big
          integer :: i
          total = 0.0_dp
          big = 1_int64
          do i = 1, n
            total = total + half * dble(x(i))
            big = big * 3_int64 + int(i, int64)
          end do
        end subroutine kinds
        """, None),
    "pure_elemental_function": ("""
        elemental real(8) function clamp(x, lo, hi)
          implicit none
          real(8), intent(in) :: x, lo, hi
          clamp = min(max(x, lo), hi)
        end function clamp
        """, None),
    "function_with_result_and_local_arrays": ("""
        function moving_sum(n, k, x) result(total)
          implicit none
          integer, intent(in) :: n, k
          real, intent(in) :: x(n)
          real :: total
          real :: window(n)
          real, allocatable :: work(:)
          integer :: i, w
          w = max(1, min(abs(k), n))
          allocate(work(n))
          window = 0.0
          work = x * 2.0
          do i = w, n
            window(i) = sum(x(i - w + 1:i))
          end do
          total = sum(window) + maxval(work) + size(work)
          deallocate(work)
        end function moving_sum
        """, None),
    "allocatable_2d": ("""
        subroutine outer_product(m, n, x, y, s)
          implicit none
          integer, intent(in) :: m, n
          real(8), intent(in) :: x(m), y(n)
          real(8), intent(out) :: s
          real(8), allocatable :: a(:, :)
          integer :: i, j
          allocate(a(0:m-1, n))
          do j = 1, n
            do i = 0, m - 1
              a(i, j) = x(i + 1) * y(j)
            end do
          end do
          s = sum(a(:, n)) + a(m - 1, 1) + size(a, 1) * size(a, 2)
          deallocate(a)
        end subroutine outer_product
        """, None),
    "module_procedures_and_data": ("""
        module geometry
          implicit none
          real(8), parameter :: pi = 3.141592653589793d0
          real(8), parameter :: weights(3) = [0.25d0, 0.5d0, 0.25d0]
          integer, parameter :: order = 3
        contains
          pure real(8) function circle_area(r)
            real(8), intent(in) :: r
            circle_area = pi * r * r
          end function circle_area

          subroutine filter(n, x, y, area)
            integer, intent(in) :: n
            real(8), intent(in) :: x(n)
            real(8), intent(out) :: y(n), area
            integer :: i, k
            y = x
            do i = 2, n - 1
              y(i) = 0.0d0
              do k = 1, order
                y(i) = y(i) + weights(k) * x(i + k - 2)
              end do
            end do
            area = circle_area(x(1))
          end subroutine filter
        end module geometry
        """, "filter"),
    "calls_and_sequence_association": ("""
        module blas_like
          implicit none
        contains
          subroutine axpy(n, a, x, y)
            integer, intent(in) :: n
            real, intent(in) :: a, x(n)
            real, intent(inout) :: y(n)
            y = y + a * x
          end subroutine axpy

          subroutine accumulate(n, m, a, x, y, calls)
            integer, intent(in) :: n, m
            real, intent(in) :: a(n, m), x(m)
            real, intent(inout) :: y(n)
            integer, intent(out) :: calls
            integer :: j
            calls = 0
            do j = 1, m
              call axpy(n, x(j), a(1, j), y)
              call bump(calls)
            end do
            call axpy(n - 1, 0.5, a(2:n, 1), y)
          end subroutine accumulate

          subroutine bump(k)
            integer, intent(inout) :: k
            k = k + 1
          end subroutine bump
        end module blas_like
        """, "accumulate"),
    "openmp_reduction": ("""
        subroutine omp_norm(n, x, y, s, biggest)
          implicit none
          integer, intent(in) :: n
          real(8), intent(in) :: x(n)
          real(8), intent(out) :: y(n), s, biggest
          integer :: i
          real(8) :: t
          s = 0.0d0
          biggest = 0.0d0
          !$omp parallel do private(t) reduction(+:s) reduction(max:biggest)
          do i = 1, n
            t = x(i) * x(i)
            y(i) = t
            s = s + t
            biggest = max(biggest, abs(x(i)))
          end do
          !$omp end parallel do
        end subroutine omp_norm
        """, None),
    "where_construct": ("""
        subroutine clip(n, x, lo, hi)
          implicit none
          integer, intent(in) :: n
          real, intent(inout) :: x(n)
          real, intent(in) :: lo, hi
          where (x < lo)
            x = lo
          elsewhere (x > hi)
            x = hi
          elsewhere
            x = 2.0 * x
          end where
        end subroutine clip
        """, None),
    "forall_and_do_concurrent": ("""
        subroutine symmetrise(n, x, y, a)
          implicit none
          integer, intent(in) :: n
          real(8), intent(in) :: x(n), y(n)
          real(8), intent(inout) :: a(n, n)
          integer :: i, j
          forall (i = 1:n, j = 1:n) a(i, j) = a(i, j) + x(i) * y(j)
          forall (i = 1:n, j = 1:n, i > j)
            a(i, j) = 0.5d0 * (a(i, j) + a(j, i))
          end forall
          do concurrent (i = 1:n, j = 1:n, i == j)
            a(i, j) = a(i, j) + 1.0d0
          end do
        end subroutine symmetrise
        """, None),
    "dim_reductions": ("""
        subroutine margins(m, n, a, colsum, rowmax, npos)
          implicit none
          integer, intent(in) :: m, n
          real(8), intent(in) :: a(m, n)
          real(8), intent(out) :: colsum(n), rowmax(m)
          integer, intent(out) :: npos(n)
          colsum = sum(a, dim=1)
          rowmax = maxval(a, 2) - minval(a, dim=2)
          npos = count(a > 0.0d0, dim=1)
        end subroutine margins
        """, None),
    "internal_procedure_uses_host_variables": ("""
        function quadrature(npanels, damping, omega) result(integral)
          implicit none
          integer, intent(in) :: npanels
          real(8), intent(in) :: damping, omega
          real(8) :: integral
          integer :: k, panels
          real(8) :: h
          panels = max(1, min(abs(npanels), 500))
          h = 1.0d0 / panels
          integral = 0.0d0
          do k = 1, panels
            integral = integral + h * weight(k) * integrand((k - 0.5d0) * h)
          end do
        contains
          real(8) function integrand(t)
            real(8), intent(in) :: t
            integrand = exp(-abs(damping) * t) * cos(omega * t)
          end function integrand
          real(8) function weight(i)
            integer, intent(in) :: i
            weight = 1.0d0 + merge(0.0d0, 1.0d-3, mod(i, 2) == 0)
          end function weight
        end function quadrature
        """, None),
    "associate_and_rounding": ("""
        subroutine strain(n, h, u, e, r)
          implicit none
          integer, intent(in) :: n
          real(8), intent(in) :: h, u(n)
          real(8), intent(out) :: e(n), r
          integer :: i
          e = 0.0d0
          do i = 2, n - 1
            associate (inv2h => 0.5d0 / (1.0d0 + abs(h)), left => u(i - 1))
              e(i) = (u(i + 1) - left) * inv2h
            end associate
          end do
          r = aint(10.0d0 * h) + anint(10.0d0 * h) + norm2(u) + norm2(u(2:n))
        end subroutine strain
        """, None),
    "shifts_pack_and_trip_count": ("""
        subroutine shifts(n, state, u, v, packed, m)
          implicit none
          integer, intent(in) :: n
          integer(8), intent(inout) :: state
          real(8), intent(in) :: u(n)
          real(8), intent(out) :: v(n), packed(n)
          integer, intent(inout) :: m
          integer :: i
          state = ieor(state, ishft(state, 13))
          state = ieor(state, ishft(state, -7))
          v = u - 0.5d0 * (cshift(u, -1) - eoshift(u, 1, 2.0d0))
          packed = 0.0d0
          packed(1:count(u > 0.0d0)) = pack(u, u > 0.0d0)
          m = min(abs(m), n)
          do i = 1, m
            if (u(i) < 0.0d0) m = m - 1
          end do
          v(1) = v(1) + 1.3
        end subroutine shifts
        """, None),
    "legacy_fixed_form_goto": ("""
      SUBROUTINE DSCAL(N, DA, DX)
      INTEGER N
      DOUBLE PRECISION DA, DX(N)
      INTEGER I, M, MP1
      IF (N .LT. 1) RETURN
      M = MOD(N, 5)
      IF (M .EQ. 0) GO TO 40
      DO 30 I = 1, M
        DX(I) = DA*DX(I)
   30 CONTINUE
      IF (N .LT. 5) RETURN
   40 MP1 = M + 1
      DO 50 I = MP1, N, 5
        DX(I) = DA*DX(I)
        DX(I + 1) = DA*DX(I + 1)
        DX(I + 2) = DA*DX(I + 2)
        DX(I + 3) = DA*DX(I + 3)
        DX(I + 4) = DA*DX(I + 4)
   50 CONTINUE
      RETURN
      END
""", None),
    "vector_subscripts": ("""
        subroutine gather_scatter(n, m, idx, x, y, s)
          implicit none
          integer, intent(in) :: n, m
          integer, intent(in) :: idx(m)
          real(8), intent(in) :: x(n)
          real(8), intent(inout) :: y(n)
          real(8), intent(out) :: s
          integer :: perm(m)
          perm = 1 + modulo(idx, n)
          s = sum(x(perm))
          y(perm(1:m:2)) = 2.0d0 * x(perm(1:m:2))
        end subroutine gather_scatter
        """, None),
    "data_and_statement_function": ("""
        subroutine legacy_poly(n, t, y)
          implicit none
          integer, intent(in) :: n
          double precision, intent(in) :: t(n)
          double precision, intent(out) :: y(n)
          double precision c(4), s, poly, scale
          integer i, calls
          data c /1.0d0, -0.5d0, 2*0.25d0/, scale /2.0d0/
          poly(s) = c(1) + s * (c(2) + s * (c(3) + s * c(4)))
          do i = 1, n
            y(i) = scale * (poly(t(i)) - poly(-t(i)))
          end do
        end subroutine legacy_poly
        """, None),
    "implicit_typing": ("""
        subroutine old_style(n, x, total)
          integer, intent(in) :: n
          real, intent(in) :: x(n)
          real, intent(out) :: total
          parameter (scale = 0.5)
          total = 0.0
          do 10 i = 1, n
            t = x(i) * i
            total = total + t * scale
        10 continue
        end subroutine old_style
        """, None),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_construct_translates_and_verifies(name, tmp_path):
    source, entry = CASES[name]
    verify_translation(source, tmp_path, entry=entry)
