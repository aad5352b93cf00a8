"""Legacy routines sized by COMMON state, and generated cases the reference itself rejects.

A COMMON member used as an array extent (`a(nzz)` with nzz in a block) is drawn first, like a
size argument, and the arrays are sized from it; an assumed-size work array whose loops run to
COMMON members (`do j = 1, naa + 1 ... q(j)`) is sized from those bounds. A case on which the
reference crashes or hangs is outside the routine's preconditions: it is left out, a fresh one
drawn, and the result says so, naming the flags that pin accepted inputs."""

from __future__ import annotations

SIZED_BY_COMMON = """\
      subroutine spread(a, w, s)
      common /dims/ m, k
      integer m, k
      double precision a(m), w(*), s
      integer i, j
      s = 0.0d0
      do 10 i = 1, m
         s = s + a(i)
   10 continue
      do 20 j = 1, k + 1
         w(j) = s * dble(j)
   20 continue
      end
"""

SIZED_CANDIDATE = """\
int m = 0;
int k = 0;
void spread(const double* a, double* w, double& s) {
    s = 0.0;
    for (int i = 0; i < m; ++i) s += a[i];
    for (int j = 1; j <= k + 1; ++j) w[j - 1] = s * j;
}
"""


def test_common_members_size_the_arrays(verify_cli, write):
    code, out, _ = verify_cli(write("spread.f", SIZED_BY_COMMON), write("spread.cpp", SIZED_CANDIDATE))
    assert code == 0, out["message"]
    for case in out["inputs"]:
        assert case["a"] == f"float64[{max(case['m'], 0)}]", case
        assert case["w"] == f"float64[{max(case['k'] + 1, 1)}]", case
    assert len({c["m"] for c in out["inputs"]}) > 2  # drawn from the size schedule, not fixed


def test_a_wrong_loop_bound_over_common_sizes_is_caught(verify_cli, write):
    wrong = SIZED_CANDIDATE.replace("j <= k + 1", "j <= k")
    code, out, _ = verify_cli(write("spread.f", SIZED_BY_COMMON), write("spread_wrong.cpp", wrong))
    assert code == 1 and out["mismatches"][0]["output"] == "w", out["message"]


def test_a_real_common_member_as_extent_is_refused_naming_it(verify_cli, write):
    source = write("bad.f", """\
      subroutine bad(a)
      common /dims/ x
      double precision x
      double precision a(x)
      a(1) = 0.0d0
      end
""")
    code, out, _ = verify_cli(source, write("bad.cpp", "double x;\nvoid bad(double* a) { a[0] = 0.0; }\n"))
    assert code == 2 and "'x'" in out["message"] and "integer scalar" in out["message"], out["message"]


GUARDED = """\
      subroutine firstk(y, n, k)
      integer n, k
      double precision y(n)
      if (k .lt. 1) call abort
      y(1) = dble(k)
      end
"""


def test_cases_the_reference_faults_on_are_left_out_and_named(verify_cli, write):
    candidate = write("firstk.cpp", "#include <cstdlib>\n"
                      "void firstk(double* y, int n, int k) { (void)n; if (k < 1) std::abort(); y[0] = k; }\n")
    code, out, _ = verify_cli(write("firstk.f", GUARDED), candidate)
    assert code == 0, out["message"]
    assert "the reference faulted on" in out["message"] and "--value NAME=V" in out["message"], out["message"]
    assert all(case["k"] >= 1 for case in out["inputs"])  # only accepted cases were compared
    assert any("left out" in w for w in out["warnings"])


def test_a_wrong_candidate_is_still_caught_on_the_accepted_cases(verify_cli, write):
    candidate = write("firstk_wrong.cpp", "void firstk(double* y, int n, int k) { (void)n; y[0] = k + 1; }\n")
    code, out, _ = verify_cli(write("firstk.f", GUARDED), candidate)
    assert code == 1 and out["mismatches"][0]["output"] == "y", out["message"]


def test_a_reference_that_rejects_every_case_is_an_error_naming_the_flags(verify_cli, write):
    source = write("never.f", "      subroutine never(n)\n      integer n\n      call abort\n      end\n")
    code, out, _ = verify_cli(source, write("never.cpp", "void never(int n) { (void)n; }\n"))
    assert code == 2 and out["verdict"] == "error", out["message"]
    assert "--value NAME=V" in out["message"] and "--shape" in out["message"], out["message"]


def test_value_pins_a_common_scalar(verify_cli, write):
    source = write("step.f", """\
      subroutine step(x)
      common /seed/ mult, state
      double precision mult, state, x
      state = mod(state * mult, 1024.0d0)
      x = state / 1024.0d0
      end
""")
    candidate = write("step.cpp", "#include <cmath>\ndouble mult, state;\n"
                      "void step(double& x) { state = std::fmod(state * mult, 1024.0); x = state / 1024.0; }\n")
    code, out, _ = verify_cli(source, candidate, "--value", "mult=5", "--value", "state=3")
    assert code == 0, out["message"]
    assert all(case["mult"] == 5.0 and case["state"] == 3.0 for case in out["inputs"]), out["inputs"]


def test_cases_the_reference_hangs_on_are_left_out(verify_cli, write):
    # No guard says so, but the count must not exceed the pool it draws distinct values from.
    source = write("distinct.f", """\
      subroutine distinct(n, nz, first)
      integer n, nz, first, got
      got = 0
   10 if (got .ge. nz) goto 20
      if (got .ge. n) goto 10
      got = got + 1
      goto 10
   20 first = got
      end
""")
    candidate = write("distinct.cpp", "void distinct(int n, int nz, int& first) {\n"
                      "    int got = 0;\n    while (got < nz) { if (got >= n) continue; ++got; }\n"
                      "    first = got;\n}\n")
    code, out, _ = verify_cli(source, candidate, "--timeout", "2", "--value", "n=5", "--range", "nz=0:9",
                              "--cases", "4")
    assert code == 0, out["message"]
    assert "timed out" in out["message"] and all(case["nz"] <= 5 for case in out["inputs"]), out["message"]
    assert "nz=" in out["message"]  # the left-out cases show the scalar to pin
