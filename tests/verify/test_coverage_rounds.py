"""--coverage in the Fortran -> C++ pair: the source's line/branch coverage (gfortran --coverage,
gcov) and further rounds of cases while it rises, with the CUDA pairs' JSON fields."""

SOURCE = """\
subroutine tally(n, x, y)
  implicit none
  integer, intent(in) :: n
  real, intent(in) :: x(n)
  real, intent(out) :: y(n)
  integer :: i
  do i = 1, n
    if (n > 60) then
      y(i) = 2.0 * x(i)
    else
      y(i) = x(i)
    end if
    if (x(i) > 5.0) y(i) = 0.0
  end do
end subroutine tally
"""

CANDIDATE = """\
void tally(int n, const float* x, float* y) {
    for (int i = 0; i < n; ++i) {
        if (n > 60) y[i] = 2.0f * x[i]; else y[i] = x[i];
        if (x[i] > 5.0f) y[i] = 0.0f;
    }
}
"""


def test_rounds_added_while_coverage_rises(write, verify_cli):
    source, candidate = write("tally.f90", SOURCE), write("tally.cpp", CANDIDATE)
    code, result, _ = verify_cli(source, candidate, "--cases", "3", "--coverage")
    assert code == 0, result["message"]
    coverage = result["coverage"]
    # Round 1 (sizes 1, 3, 16) never has n > 60; round 2 (100, 7, 33) does; round 3 adds nothing.
    assert coverage["rounds"] == 3 and result["cases"] == 9
    assert coverage["lines"] == 100.0 and coverage["branches"] == 83.3
    assert coverage["untaken"] == [{"line": 13, "executed": True, "taken": 1, "total": 2,
                                    "text": "if (x(i) > 5.0) y(i) = 0.0"}]
    assert "83.3% of the source's branches taken" in result["message"]
    code, result, _ = verify_cli(source, candidate, "--cases", "3", "--coverage", "--range", "x=0:10")
    assert code == 0 and result["coverage"]["branches"] == 100.0 and result["coverage"]["rounds"] == 2


def test_later_round_catches_what_the_first_missed(write, verify_cli):
    source = write("tally.f90", SOURCE)
    wrong = write("tally_wrong.cpp", CANDIDATE.replace("2.0f * x[i]", "3.0f * x[i]"))
    code, result, _ = verify_cli(source, wrong, "--cases", "3")
    assert code == 0  # the first round's sizes never reach the wrong branch
    code, result, _ = verify_cli(source, wrong, "--cases", "3", "--coverage")
    assert code == 1 and result["stage"] == "compare"
    assert result["message"].startswith("coverage round 2 (seed 7919): outputs differ: y(1)")
    assert result["mismatches"][0]["output"] == "y"
