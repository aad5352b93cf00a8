"""Relations between integer arguments read from the routine's own code: guards that leave the
routine (`if (k .lt. 1 .or. k .gt. l) return`), DO ranges between two arguments
(`do j = k, l - 1` means k < l) and computed GO TO selectors. Generated inputs satisfy them,
so the cases reach the routine's body instead of its undefined corners."""

from __future__ import annotations

# Reads s(l - k) .. s(l): out of bounds unless 1 <= k < l <= n. No code checks it.
SHIFT = """\
      subroutine shiftk(s, n, k, l, t)
      integer n, k, l, j, km1, lm1
      double precision s(n), t
      km1 = k - 1
      lm1 = l - 1
      t = 0.0d0
      do 10 j = k, lm1
         t = t + s(j + 1) - s(j)
   10 continue
      do 20 j = l, n
         t = t + s(j) * dble(km1)
   20 continue
      end
"""

SHIFT_CPP = """\
void shiftk(const double* s, int n, int k, int l, double& t) {
    t = 0.0;
    for (int j = k; j <= l - 1; ++j) t += s[j] - s[j - 1];
    for (int j = l; j <= n; ++j) t += s[j - 1] * (k - 1);
}
"""


def test_do_ranges_between_arguments_order_the_sizes(verify_cli, write):
    code, out, _ = verify_cli(write("shiftk.f", SHIFT), write("shiftk.cpp", SHIFT_CPP))
    assert code == 0, out["message"]
    for case in out["inputs"]:
        assert case["k"] <= case["l"] - 1 and case["l"] <= case["n"], case["sizes"]
    assert "faulted" not in out["message"]


def test_a_pinned_value_is_kept_and_the_others_move(verify_cli, write):
    code, out, _ = verify_cli(write("shiftk.f", SHIFT), write("shiftk.cpp", SHIFT_CPP), "--value", "l=5")
    assert code == 0, out["message"]
    assert all(case["l"] == 5 and case["k"] <= 4 and case["n"] >= 5 for case in out["inputs"]), out["inputs"]


GUARDED = """\
      subroutine window(x, n, lo, hi, total)
      integer n, lo, hi, i
      double precision x(n), total
      total = -1.0d0
      if (lo .lt. 1 .or. hi .gt. n .or. lo .gt. hi) return
      total = 0.0d0
      do 10 i = lo, hi
         total = total + x(i)
   10 continue
      end
"""

GUARDED_CPP = """\
void window(const double* x, int n, int lo, int hi, double& total) {
    total = -1.0;
    if (lo < 1 || hi > n || lo > hi) return;
    total = 0.0;
    for (int i = lo; i <= hi; ++i) total += x[i - 1];
}
"""


def test_guard_relations_let_most_cases_pass_the_guard(verify_cli, write):
    code, out, _ = verify_cli(write("window.f", GUARDED), write("window.cpp", GUARDED_CPP))
    assert code == 0, out["message"]
    inside = {i for i, c in enumerate(out["inputs"]) if 1 <= c["lo"] <= c["hi"] <= c["n"]}
    assert {i for i in range(len(out["inputs"])) if i % 4 != 3} <= inside, out["inputs"]


def test_a_body_bug_behind_the_guard_is_caught(verify_cli, write):
    wrong = GUARDED_CPP.replace("i <= hi", "i < hi")
    code, out, _ = verify_cli(write("window.f", GUARDED), write("window_wrong.cpp", wrong))
    assert code == 1 and out["mismatches"][0]["output"] == "total", out["message"]


SELECT = """\
      subroutine pickop(x, job)
      integer job
      double precision x
      go to (10, 20), job
      x = x * 3.0d0
      return
   10 x = x + 1.0d0
      return
   20 x = x - 1.0d0
      end
"""


def test_a_computed_goto_selector_takes_every_branch(verify_cli, write):
    wrong = ("void pickop(double& x, int job) { if (job == 1) x += 1.0; else if (job == 2) x += 1.0; "
             "else x *= 3.0; }\n")
    code, out, _ = verify_cli(write("pickop.f", SELECT), write("pickop.cpp", wrong))
    assert code == 1 and out["mismatches"][0]["output"] == "x", out["message"]
    assert out["inputs"][out["mismatches"][0]["case"]]["job"] == 2
    assert all(0 <= c["job"] <= 3 for c in out["inputs"])  # each label, and the fall-through


CHECKED = """\
      subroutine colsum(a, lda, l, k, s, info)
      integer lda, l, k, info, i
      double precision a(lda, l), s
      info = 0
      if (k .lt. 1 .or. k .gt. l) then
         info = -4
         return
      end if
      s = 0.0d0
      do 10 i = 1, lda
         s = s + a(i, l) * dble(k)
   10 continue
      end
"""

CHECKED_CPP = """\
void colsum(const double* a, int lda, int l, int k, double& s, int& info) {
    info = 0;
    if (k < 1 || k > l) { info = -4; return; }
    s = 0.0;
    for (int i = 0; i < lda; ++i) s += a[i + (l - 1) * lda] * k;
}
"""


def test_an_info_returning_check_keeps_most_cases_valid_and_one_in_four_on_the_error_path(verify_cli, write):
    code, out, _ = verify_cli(write("colsum.f", CHECKED), write("colsum.cpp", CHECKED_CPP), "--cases", "12")
    assert code == 0, out["message"]
    valid = [i for i, c in enumerate(out["inputs"]) if 1 <= c["k"] <= c["l"]]
    assert {i for i in range(12) if i % 4 != 3} <= set(valid), out["inputs"]


def test_pinned_values_that_break_a_relation_are_named_in_a_warning(verify_cli, write):
    code, out, _ = verify_cli(write("shiftk.f", SHIFT), write("shiftk.cpp", SHIFT_CPP),
                              "--value", "k=7", "--value", "l=3")
    assert code == 0, out["message"]
    assert all(case["k"] == 7 and case["l"] == 3 and case["n"] >= 3 for case in out["inputs"]), out["inputs"]
    unmet = [w for w in out["warnings"] if "cannot always satisfy" in w]
    assert len(unmet) == 1 and "'shiftk'" in unmet[0] and "k <= l - 1" in unmet[0], out["warnings"]
    assert "do 10 j = k, lm1" in unmet[0], unmet


def test_relations_that_hold_leave_no_warning(verify_cli, write):
    code, out, _ = verify_cli(write("shiftk.f", SHIFT), write("shiftk.cpp", SHIFT_CPP), "--value", "l=5")
    assert code == 0, out["message"]
    assert not [w for w in out["warnings"] if "cannot always satisfy" in w], out["warnings"]
