"""One constraint set on a routine's integer arguments, one solver: what the set holds, that the
solver meets every constraint together, and that a conflict is reported, not hidden."""

from transverify.verify.fortran_signature import parse_fortran
from transverify.verify.int_constraints import constraints_of
from transverify.verify.unit_inputs import generate_cases

# floor: c(n - 2); ceiling: w(i + 1) of w(40) over i <= n; grid: f(2*i2) over i2 <= m - 1 of
# f(nf); loop: do j = k, lm1 (k <= l - 1); guard: if (l .gt. m) return (l <= m)
MIXED = """\
      subroutine mixed(n, c, m, z, nf, f, k, l)
      integer nw
      parameter (nw = 40)
      integer n, m, nf, k, l, i, i2, j, lm1
      double precision c(n), z(m), f(nf), w(nw)
      if (l .gt. m) return
      lm1 = l - 1
      do 10 i = 1, n
         w(i + 1) = c(n - 2)
   10 continue
      do 20 i2 = 1, m - 1
         f(2*i2) = z(i2)
   20 continue
      do 30 j = k, lm1
         f(1) = f(1) + w(j)
   30 continue
      end
"""

# a subscript n - 5 needs n >= 6, the work array w(3) allows n <= 2
CONFLICT = """\
      subroutine tight(n, c)
      integer n, i
      double precision c(n), w(3)
      do 10 i = 1, n
         w(i + 1) = c(n - 5)
   10 continue
      end
"""


def _proc(tmp_path, name, text):
    path = tmp_path / f"{name}.f"
    path.write_text(text)
    (proc,) = parse_fortran(path).procedures
    return proc


def test_every_kind_of_constraint_is_in_one_set(tmp_path):
    constraints = constraints_of(_proc(tmp_path, "mixed", MIXED))
    found = {(c.source, c.formula()) for c in constraints.constraints}
    assert {("floor", "n >= 3"), ("ceiling", "n <= 39"), ("grid", "2*m - 2 <= nf"),
            ("guard", "l <= m"), ("loop", "k <= l - 1")} <= found, found
    assert constraints.notes == []


def test_generated_cases_meet_all_constraints_together_and_repeat_with_the_seed(tmp_path):
    proc = _proc(tmp_path, "mixed", MIXED)
    cases = generate_cases(proc, 12, 3)
    for index, case in enumerate(cases):
        n, m, nf = case.sizes["n"], case.sizes["m"], case.sizes["nf"]
        k, l = int(case.values["k"]), int(case.values["l"])
        assert 3 <= n <= 39 and nf >= 2 * m - 2 and k <= l - 1, (index, case.sizes, k, l)
        if index % 4 != 3:  # the guard's error path keeps its drawn values one case in four
            assert l <= m, (index, case.sizes, l)
        assert case.notes == []
    again = generate_cases(proc, 12, 3)
    assert [c.sizes for c in again] == [c.sizes for c in cases]
    assert [(int(c.values["k"]), int(c.values["l"])) for c in again] == \
        [(int(c.values["k"]), int(c.values["l"])) for c in cases]


def test_a_floor_above_a_ceiling_is_named_and_the_floor_wins(tmp_path):
    proc = _proc(tmp_path, "tight", CONFLICT)
    constraints = constraints_of(proc)
    assert len(constraints.notes) == 1
    assert "'tight'" in constraints.notes[0] and "'n'" in constraints.notes[0], constraints.notes
    cases = generate_cases(proc, 4, 0)
    assert all(c.sizes["n"] == 6 for c in cases), [c.sizes for c in cases]
    assert all(c.notes == constraints.notes for c in cases)


def test_contradictory_pins_are_kept_and_reported(tmp_path):
    proc = _proc(tmp_path, "mixed", MIXED)
    cases = generate_cases(proc, 4, 0, {"k": "9", "l": "4"})
    assert all(int(c.values["k"]) == 9 and int(c.values["l"]) == 4 for c in cases)
    notes = {note for c in cases for note in c.notes}
    assert any("'mixed'" in note and "k <= l - 1" in note for note in notes), notes
