"""COMMON blocks in unit mode: generated values go into every member of the entry's blocks on
both sides before the call (the C++ side holds them as namespace-scope variables named after
the members), and every member is compared after it."""

from __future__ import annotations

HEADER = """\
      integer nmax
      parameter (nmax = 6)
      common /acc/ total, hist, count, ready
      double precision total, hist(2, nmax / 2)
      integer count
      logical ready
"""

SOURCE = """\
      subroutine tally(x)
      include 'acc.h'
      double precision x
      integer i, j
      if (ready) then
         total = total + x
         count = count + 1
      end if
      do 10 j = 1, nmax / 2
         do 5 i = 1, 2
            hist(i, j) = hist(i, j) * 0.5d0 + x
    5    continue
   10 continue
      ready = .not. ready
      end
"""

CANDIDATE = """\
#include <vector>
constexpr int nmax = 6;
// COMMON /acc/
double total = 0.0;
std::vector<double> hist(2 * (nmax / 2));
int count = 0;
bool ready = false;

void tally(double x) {
    if (ready) {
        total = total + x;
        count = count + 1;
    }
    for (int k = 0; k < 2 * (nmax / 2); ++k) hist[k] = hist[k] * 0.5 + x;
    ready = !ready;
}
"""


def test_common_state_is_set_and_compared(verify_cli, write):
    write("acc.h", HEADER)
    code, out, _ = verify_cli(write("tally.f", SOURCE), write("tally.cpp", CANDIDATE))
    assert code == 0, out["message"]
    case = out["inputs"][0]
    assert case["hist"] == "float64[6]" and "count" in case and "ready" in case
    assert {c["ready"] for c in out["inputs"]} == {0, 1}  # both branches taken


def test_a_common_member_left_unchanged_is_caught(verify_cli, write):
    write("acc.h", HEADER)
    wrong = CANDIDATE.replace("ready = !ready;", "")
    code, out, _ = verify_cli(write("tally.f", SOURCE), write("tally_wrong.cpp", wrong))
    assert code == 1 and out["mismatches"][0]["output"] == "ready", out["message"]


def test_a_candidate_without_the_common_variable_does_not_compile(verify_cli, write):
    write("acc.h", HEADER)
    missing = CANDIDATE.replace("int count = 0;", "").replace("count = count + 1;", "")
    code, out, _ = verify_cli(write("tally.f", SOURCE), write("tally_missing.cpp", missing))
    assert code == 1 and out["stage"] == "compile_candidate" and "count" in out["message"], out["message"]


def test_common_extent_that_is_not_a_constant_is_refused_naming_the_member(verify_cli, write):
    source = write("scale.f", """\
      subroutine scale(f)
      double precision f
      common /work/ n, v
      integer n
      double precision v(n)
      v(1) = f
      end
""")
    code, out, _ = verify_cli(source, write("scale.cpp", "void scale(double f) { (void)f; }\n"))
    assert code == 2 and "COMMON /work/" in out["message"] and "v(n)" in out["message"], out["message"]


def test_nested_include_other_routines_calling_missing_procedures_and_zero_based_selector(verify_cli, write):
    write("sizes.h", "      integer lm\n      parameter (lm = 4)\n")
    write("glob.h", "      include 'sizes.h'\n      common /lev/ lev(lm)\n      integer lev\n")
    source = write("pick.f", """\
      subroutine pick(t, m, ind, s)
      include 'glob.h'
      integer m, ind, i
      double precision t(m, 0:1), s
      s = 0.0d0
      do 10 i = 1, m
         s = s + t(i, ind) * lev(1 + mod(i, lm))
   10 continue
      end

      subroutine report(s)
      double precision s
      call timer_stop(s)
      end
""")
    candidate = write("pick.cpp", """\
int lev[4];
void pick(const double* t, int m, int ind, double& s) {
    s = 0.0;
    for (int i = 1; i <= m; ++i) s += t[(i - 1) + ind * m] * lev[i % 4];
}
""")
    code, out, _ = verify_cli(source, candidate, "--entry", "pick")
    assert code == 0, out["message"]
    assert {c["ind"] for c in out["inputs"]} <= {0, 1}
