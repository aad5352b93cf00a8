"""Every constraint on a routine's integer arguments, gathered in one set that
verify/int_solver.py satisfies for each generated case.

Each constraint reads `factor*left + left_offset <= right + right_offset`, a side without a name
being the constant 0. Where they come from (`source`):

  floor      n >= c        a subscript `n - c` of an argument array exists (size_limits.size_floors)
  ceiling    n <= c        a loop up to n indexes a work array of constant extent (size_limits.size_ceilings)
  grid       t >= a*s + b  a fine grid addressed from a coarse one (size_limits.size_relations)
  subscript  lo <= k <= hi an integer scalar that is a whole subscript of a constant-extent array, in
                           the routine or a procedure of the file it is passed to
  guard      k >= 1, k <= l  an IF that leaves the routine (relations.py); left out of every fourth case,
                           so the error path is still taken
  loop       k <= l - 1    a DO range between two arguments (relations.py)

The locals that link a subscript or a loop bound to an argument (`lm1 = l - 1`, `i1 = 2*j1 - d1`)
are read once (local_aliases.py) for every reader.

Public API:
  Constraint(left, left_offset, right, right_offset, source, factor=1, text="")
  ConstraintSet(routine, constraints, notes)
      .range_of(name) -> (low, high) | None   the subscript range of an integer scalar, to draw it in
      .unmet_note(constraint) -> str          a warning naming the routine and the constraint
  constraints_of(proc) -> ConstraintSet
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .fortran_signature import Procedure
from .local_aliases import local_aliases
from .relations import GUARD, LOOP, relations_of
from .size_limits import callee_subscript_bounds, size_ceilings, size_floors, size_relations

FLOOR, CEILING, GRID, SUBSCRIPT = "floor", "ceiling", "grid", "subscript"
__all__ = ["FLOOR", "CEILING", "GRID", "SUBSCRIPT", "GUARD", "LOOP", "Constraint", "ConstraintSet",
           "constraints_of"]

_WHY = {
    FLOOR: "a subscript `size - c` of an argument array must exist",
    CEILING: "a loop up to the size indexes an array of constant extent",
    GRID: "a fine grid is addressed from a coarse one",
    SUBSCRIPT: "the value subscripts an array of constant extent",
    GUARD: "the routine returns early otherwise",
    LOOP: "a DO loop runs between the two",
}


@dataclass(frozen=True)
class Constraint:
    """factor*left + left_offset <= right + right_offset; a side without a name is a constant."""
    left: str | None
    left_offset: int
    right: str | None
    right_offset: int
    source: str
    factor: int = 1
    text: str = ""  # the statement it was read from, when one says it

    def names(self) -> set[str]:
        return {n for n in (self.left, self.right) if n}

    def low_side(self, values: dict[str, int]) -> int:
        return self.factor * (values[self.left] if self.left else 0) + self.left_offset

    def high_side(self, values: dict[str, int]) -> int:
        return (values[self.right] if self.right else 0) + self.right_offset

    def holds(self, values: dict[str, int]) -> bool:
        return self.low_side(values) <= self.high_side(values)

    def formula(self) -> str:
        left = _term(self.left, self.left_offset, self.factor)
        right = _term(self.right, self.right_offset, 1)
        return f"{left} <= {right}" if self.left or not self.right else f"{right} >= {left}"


def _term(name: str | None, offset: int, factor: int) -> str:
    if name is None:
        return str(offset)
    text = f"{factor}*{name}" if factor != 1 else name
    return f"{text} {'-' if offset < 0 else '+'} {abs(offset)}" if offset else text


@dataclass
class ConstraintSet:
    routine: str
    constraints: list[Constraint]
    notes: list[str] = field(default_factory=list)  # conflicts found while gathering, as warnings

    def range_of(self, name: str) -> tuple[int, int] | None:
        lows = [c.left_offset - c.right_offset for c in self.constraints
                if c.source == SUBSCRIPT and c.right == name and c.left is None]
        highs = [c.right_offset - c.left_offset for c in self.constraints
                 if c.source == SUBSCRIPT and c.left == name and c.right is None]
        return (max(lows), min(highs)) if lows and highs else None

    def unmet_note(self, constraint: Constraint) -> str:
        said = f" (`{constraint.text}`)" if constraint.text else ""
        return (f"'{self.routine}': generated inputs cannot always satisfy {constraint.formula()}{said}, "
                f"needed because {_WHY[constraint.source]}: values pinned with --value or other constraints "
                "leave no room, so some cases keep values that break it")


def constraints_of(proc: Procedure) -> ConstraintSet:
    aliases = local_aliases(proc)
    found: list[Constraint] = []
    notes: list[str] = []
    floors, ceilings = size_floors(proc), size_ceilings(proc, aliases=aliases)
    for name, least in floors.items():
        found.append(Constraint(None, least, name, 0, FLOOR))
    for name, most in ceilings.items():
        least = floors.get(name, 1)
        if most < least:  # the floor wins: a subscript outside the argument is worse than a full buffer
            notes.append(f"'{proc.name}': size '{name}' must be at least {least} ({_WHY[FLOOR]}) and at most "
                         f"{most} ({_WHY[CEILING]}): it is drawn at least {least}")
            most = least
        found.append(Constraint(name, 0, None, most, CEILING))
    for target, factor, other, offset in size_relations(proc, aliases=aliases):
        found.append(Constraint(other, offset, target, 0, GRID, factor=factor))
    for arg in proc.args:
        if arg.is_size or arg.role or arg.is_character:
            continue
        within = callee_subscript_bounds(proc, arg)
        if within is not None:
            found += [Constraint(None, within[0], arg.name, 0, SUBSCRIPT),
                      Constraint(arg.name, 0, None, within[1], SUBSCRIPT)]
    for r in relations_of(proc, aliases=aliases):
        found.append(Constraint(r.left, r.left_offset, r.right, r.right_offset, r.source, text=r.text))
    return ConstraintSet(proc.name, found, notes)
