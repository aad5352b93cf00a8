"""Fortran -> C++: independent generated inputs, value domains (inferred, --range, comments)."""

import numpy as np
import pytest

from transverify.verify.fortran_signature import parse_fortran
from transverify.verify.unit_inputs import generate_cases

FOUR_ARRAYS = """\
subroutine four(n, a, b, c, d)
  implicit none
  integer, intent(in) :: n
  real(8), intent(in) :: a(n), b(n)
  real(8), intent(inout) :: c(n), d(n)
  c = a + b + c + d
end subroutine four
"""


def _z(first: np.ndarray, second: np.ndarray) -> float:
    """|Pearson r| in standard errors for independent data."""
    n = min(len(first), len(second))
    return abs(float(np.corrcoef(first[:n], second[:n])[0, 1])) * np.sqrt(n)


def test_fortran_arrays_and_cases_are_independent(tmp_path):
    path = tmp_path / "four.f90"
    path.write_text(FOUR_ARRAYS)
    (proc,) = parse_fortran(path).procedures
    cases = generate_cases(proc, 12, 5)
    big = [c for c in cases if c.sizes["n"] >= 64]
    assert big
    for case in big:
        arrays = [case.values[name] for name in "abcd"]
        for i in range(4):
            for j in range(i + 1, 4):
                assert _z(arrays[i], arrays[j]) < 5
                assert _z(arrays[i][1:], arrays[j][:-1]) < 5
    for first, second in zip(big, big[1:]):
        assert _z(first.values["a"], second.values["a"]) < 5


CELLS_F90 = """\
subroutine cells_xor(n, grid, out)
  implicit none
  integer, intent(in) :: n
  integer, intent(in) :: grid(n, n)
  integer, intent(out) :: out(n, n)
  integer :: i, j, cnt
  do j = 1, n
    do i = 1, n
      cnt = 0
      if (i > 1) then
        if (grid(i - 1, j) == 1) cnt = cnt + 1
      end if
      if (i < n) then
        if (grid(i + 1, j) == 1) cnt = cnt + 1
      end if
      if (j > 1) then
        if (grid(i, j - 1) == 1) cnt = cnt + 1
      end if
      if (j < n) then
        if (grid(i, j + 1) == 1) cnt = cnt + 1
      end if
      if (cnt == 1) then
        out(i, j) = 1
      else
        out(i, j) = 0
      end if
    end do
  end do
end subroutine cells_xor
"""

CELLS_CPP = """\
void cells_xor(int n, const int* grid, int* out) {
    for (int j = 0; j < n; ++j)
        for (int i = 0; i < n; ++i) {
            int sum = 0;
            if (i > 0) sum += grid[j * n + i - 1];
            if (i < n - 1) sum += grid[j * n + i + 1];
            if (j > 0) sum += grid[(j - 1) * n + i];
            if (j < n - 1) sum += grid[(j + 1) * n + i];
            out[j * n + i] = SUM_TEST;
        }
}
"""


def test_inferred_01_grid_verifies_the_summing_translation(write, verify_cli):
    source = write("cells.f90", CELLS_F90)
    candidate = write("cells.cpp", CELLS_CPP.replace("SUM_TEST", "sum == 1"))
    code, result, _ = verify_cli(source, candidate)
    assert code == 0, result["message"]
    assert result["domains"] == [{"name": "grid", "lo": 0, "hi": 1, "source": "inferred", "reason":
                                  "compared for equality with 1 only ('grid(i - 1, j) == 1' in the source)"}]


@pytest.mark.parametrize("seed", range(0, 20, 4))
def test_at_least_one_neighbour_mutant_rejected(write, verify_cli, seed):
    source = write("cells.f90", CELLS_F90)
    mutant = write("cells_at_least_one.cpp", CELLS_CPP.replace("SUM_TEST", "sum >= 1"))
    code, result, _ = verify_cli(source, mutant, "--seed", seed)
    assert code == 1, result["message"]


COUNT_F90 = """\
integer function count_set(n, g)
  implicit none
  integer, intent(in) :: n
  integer, intent(in) :: g(n)
  integer :: i
  count_set = 0
  do i = 1, n
    if (g(i) > 0) count_set = count_set + 1
  end do
end function count_set
"""

COUNT_CPP = """\
int count_set(int n, const int* g) {
    int total = 0;
    for (int i = 0; i < n; ++i) total += g[i];
    return total;
}
"""


def test_range_flag_and_fortran_comment(write, verify_cli):
    source = write("count.f90", COUNT_F90)
    candidate = write("count.cpp", COUNT_CPP)
    code, result, _ = verify_cli(source, candidate)
    assert code == 1 and result["domains"] == []
    code, result, _ = verify_cli(source, candidate, "--range", "g=0:1")
    assert code == 0, result["message"]
    assert result["domains"] == [{"name": "g", "lo": 0, "hi": 1, "source": "flag", "reason": "--range g=0:1"}]
    commented = write("count_commented.f90", "! transverify: range g=0:1\n" + COUNT_F90)
    code, result, _ = verify_cli(commented, candidate)
    assert code == 0, result["message"]
    assert result["domains"][0]["source"] == "comment"


def test_range_on_a_size_or_unknown_name_is_bad_input(write, verify_cli):
    source = write("count.f90", COUNT_F90)
    candidate = write("count.cpp", COUNT_CPP)
    code, result, _ = verify_cli(source, candidate, "--range", "n=1:4")
    assert code == 2 and "--value n=N" in result["message"]
    code, result, _ = verify_cli(source, candidate, "--range", "q=1:4")
    assert code == 2 and "--range names 'q'" in result["message"]


def test_parity_in_fortran_draws_negative_values(write, verify_cli):
    source = write("odd.f90", """\
subroutine odd(n, x, out)
  implicit none
  integer, intent(in) :: n
  integer, intent(in) :: x(n)
  integer, intent(out) :: out(n)
  integer :: i
  do i = 1, n
    out(i) = mod(x(i), 2)
  end do
end subroutine odd
""")
    floor_mod = write("odd.cpp", """\
void odd(int n, const int* x, int* out) {
    for (int i = 0; i < n; ++i) out[i] = ((x[i] % 2) + 2) % 2;
}
""")
    code, result, _ = verify_cli(source, floor_mod)
    assert result["domains"][0]["name"] == "x" and result["domains"][0]["lo"] == -1000
    assert code == 1, result["message"]


CLIP_F90 = """\
subroutine clip(n, x, y)
  implicit none
  integer, intent(in) :: n
  real(8), intent(in) :: x(n)
  real(8), intent(out) :: y(n)
  integer :: i
  do i = 1, n
    if (x(i) > 5.0d0) then
      y(i) = 5.0d0
    else
      y(i) = x(i)
    end if
  end do
end subroutine clip
"""

CLIP_CPP = """\
void clip(int n, const double* x, double* y) {
    for (int i = 0; i < n; ++i) y[i] = x[i] > 5.0 ? 5.0 : x[i];
}
"""


def test_fortran_coverage_lists_the_untaken_branch(write, verify_cli):
    source = write("clip.f90", CLIP_F90)
    candidate = write("clip.cpp", CLIP_CPP)
    code, result, _ = verify_cli(source, candidate)
    assert code == 0 and result["coverage"] is None
    code, result, _ = verify_cli(source, candidate, "--coverage")
    assert code == 0, result["message"]
    coverage = result["coverage"]
    assert coverage["branches"] < 100 and coverage["lines"] < 100
    assert {"line": 9, "executed": False, "taken": 0, "total": 0, "text": "y(i) = 5.0d0"} in coverage["untaken"]
    assert any(item["line"] == 8 and item["taken"] == 1 for item in coverage["untaken"])
    assert "of the source's branches taken" in result["message"]
    code, result, _ = verify_cli(source, candidate, "--coverage", "--range", "x=0:10")
    assert code == 0 and result["coverage"]["branches"] == 100.0 and result["coverage"]["untaken"] == []
