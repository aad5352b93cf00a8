"""Outputs computed from a clock (a C routine built on clock_gettime, stored in COMMON by a
stopwatch routine) differ between any two runs: they are left out of the comparison with a
warning that names them; every other output, and every routine that does not read the clock,
is compared as before."""

from __future__ import annotations

NOW_C = """\
#include <time.h>

void now_(double *t)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  *t = ts.tv_sec + 1e-9 * ts.tv_nsec;
}
"""
LAP_F = """\
      subroutine lap(k, laps)
      integer k, laps
      double precision t0(4), total(4)
      common /watch/ t0, total
      double precision t
      call now(t)
      total(k) = total(k) + (t - t0(k))
      t0(k) = t
      laps = laps + 1
      end

      subroutine reset(k)
      integer k
      double precision t0(4), total(4)
      common /watch/ t0, total
      total(k) = 0.0d0
      end
"""
LAP_CPP = """\
extern "C" void now_(double* t);
double t0[4];
double total[4];
void lap(int k, int& laps) {
    double t;
    now_(&t);
    total[k - 1] = total[k - 1] + (t - t0[k - 1]);
    t0[k - 1] = t;
    laps = laps + %s;
}
void reset(int k) { total[k - 1] = %s; }
"""


def _files(write, laps_step="1", cleared="0.0"):
    write("now.c", NOW_C)
    return write("lap.f", LAP_F), write("lap.cpp", LAP_CPP % (laps_step, cleared))


def test_clock_fed_common_members_are_not_compared_and_are_named(verify_cli, write):
    source, candidate = _files(write)
    code, payload, _ = verify_cli(source, candidate, "--entry", "lap", "--cases", "8")
    assert code == 0, payload["message"]
    named = [w for w in payload["warnings"] if "clock reading" in w]
    assert any(w.startswith("'t0'") for w in named) and any(w.startswith("'total'") for w in named), named
    assert all("now.c calls clock_gettime" in w for w in named), named
    assert all(1 <= case["k"] <= 4 for case in payload["inputs"])  # k subscripts the COMMON arrays


def test_the_other_outputs_of_a_clock_routine_are_still_compared(verify_cli, write):
    source, candidate = _files(write, laps_step="2")
    code, payload, _ = verify_cli(source, candidate, "--entry", "lap", "--cases", "4")
    assert code == 1 and payload["mismatches"][0]["output"] == "laps", payload["message"]


def test_a_routine_that_does_not_read_the_clock_compares_the_same_members(verify_cli, write):
    source, candidate = _files(write, cleared="1.0")
    code, payload, _ = verify_cli(source, candidate, "--entry", "reset", "--cases", "4")
    assert code == 1 and payload["mismatches"][0]["output"] == "total", payload["message"]
    assert not any("clock reading" in w for w in payload["warnings"])


STAMP_F = """\
      double precision function stamp(scale)
      double precision scale, t
      call now(t)
      stamp = t * scale
      end
"""
STAMP_CPP = """\
extern "C" void now_(double* t);
double stamp(double& scale) {
    double t;
    now_(&t);
    scale = scale * %s;
    return t * scale;
}
"""


def test_a_function_returning_a_clock_reading_is_not_compared_on_its_result(verify_cli, write):
    write("now.c", NOW_C)
    source = write("stamp.f", STAMP_F)
    code, payload, _ = verify_cli(source, write("stamp.cpp", STAMP_CPP % "1.0"), "--entry", "stamp", "--cases", "4")
    assert code == 0, payload["message"]
    assert [w for w in payload["warnings"] if "clock reading" in w and w.startswith("'stamp'")], payload["warnings"]


def test_a_clock_function_still_compares_its_other_outputs(verify_cli, write):
    write("now.c", NOW_C)
    source = write("stamp.f", STAMP_F)
    code, payload, _ = verify_cli(source, write("stamp.cpp", STAMP_CPP % "2.0"), "--entry", "stamp", "--cases", "4")
    assert code == 1 and payload["mismatches"][0]["output"] == "scale", payload["message"]
