"""Values for a case's integer arguments that satisfy the routine's constraint set
(verify/int_constraints.py), moved as little as possible from what the schedule drew.

Deterministic: the result depends only on the drawn values, the fixed names and the case index.

Public API:
  satisfy(constraints, values, fixed, index, names=None) -> list[Constraint]
      moves the values in `values` (a dict name -> int) that are not `fixed` so that every
      constraint among `names` (default: all of `values`) holds; guard constraints are left out of
      every fourth case (index % 4 == 3). Returns the constraints it could not meet (those cases
      keep what was drawn for the names involved)
  shrink(constraints, sizes, fixed, index) -> bool
      halves the biggest size that can shrink (not fixed, above its least value: a fine grid
      t >= a*s + b only by s shrinking), the sizes that cover it following it down, and
      satisfies the rest again;
      False when no size can shrink
"""

from __future__ import annotations

from .int_constraints import GRID, GUARD, Constraint, ConstraintSet


def _usable(constraints: ConstraintSet, names: set[str], index: int) -> list[Constraint]:
    return [c for c in constraints.constraints if c.names() <= names and (c.source != GUARD or index % 4 != 3)]


def satisfy(constraints: ConstraintSet, values: dict[str, int], fixed: set[str], index: int,
            names: set[str] | None = None) -> list[Constraint]:
    """Bounds first (what constants and fixed values imply for the free names, along chains such
    as k < l <= n), each free value clamped into them; then each constraint still broken raises
    its right side within its bound, or else lowers its left side."""
    names = set(values) if names is None else names
    usable = _usable(constraints, names, index)
    if not usable:
        return []
    lower, upper = _bounds(usable, values, fixed)
    for name in sorted(names - fixed):
        low, high = lower.get(name), upper.get(name)
        if low is not None and high is not None and low > high:
            continue  # the fixed values leave no room: keep what was drawn
        if high is not None and values[name] > high:
            values[name] = high
        if low is not None and values[name] < low:
            values[name] = low
    for _ in range(2 * len(usable)):
        broken = [c for c in usable if not c.holds(values)]
        if not broken:
            return []
        for c in broken:
            need = c.low_side(values) - c.right_offset
            if c.right and c.right not in fixed and need <= upper.get(c.right, need):
                values[c.right] = need
            elif c.left and c.left not in fixed:
                values[c.left] = (c.high_side(values) - c.left_offset) // c.factor
    return [c for c in usable if not c.holds(values)]


def _bounds(constraints: list[Constraint], values: dict[str, int], fixed: set[str]):
    """Lower and upper bounds of the free names, propagated from fixed values and constants."""
    lower: dict[str, int] = {}
    upper: dict[str, int] = {}

    def known(name, table):
        if name is None:
            return 0
        if name in fixed:
            return values[name]
        return table.get(name)

    for _ in range(len(constraints) + 1):
        changed = False
        for c in constraints:  # factor*left + a <= right + b
            if c.left and c.left not in fixed and (high := known(c.right, upper)) is not None:
                bound = (high + c.right_offset - c.left_offset) // c.factor
                if bound < upper.get(c.left, bound + 1):
                    upper[c.left], changed = bound, True
            if c.right and c.right not in fixed and (low := known(c.left, lower)) is not None:
                bound = c.factor * low + c.left_offset - c.right_offset
                if bound > lower.get(c.right, bound - 1):
                    lower[c.right], changed = bound, True
        if not changed:
            break
    return lower, upper


def shrink(constraints: ConstraintSet, sizes: dict[str, int], fixed: set[str], index: int) -> bool:
    names = set(sizes)
    usable = _usable(constraints, names, index)
    lower, _ = _bounds(usable, sizes, fixed)
    for name in sorted(sizes, key=sizes.get, reverse=True):
        # a fine grid shrinks only by following its coarse one down
        least = max([lower.get(name, 1), 1] + [c.low_side(sizes) - c.right_offset for c in usable
                                               if c.source == GRID and c.right == name])
        if name in fixed or sizes[name] <= least:
            continue
        trial = dict(sizes)
        trial[name] = max(least, trial[name] // 2)
        for c in usable:  # the fine grids raised to cover this size come down with it
            if c.source == GRID and c.left == name and c.right not in fixed:
                trial[c.right] = max(lower.get(c.right, 1), min(trial[c.right], c.low_side(trial) - c.right_offset))
        moved = {n for n in trial if trial[n] != sizes[n]}
        satisfy(constraints, trial, fixed | moved, index, names)
        if trial != sizes and all(trial[n] <= sizes[n] for n in sizes):
            sizes.update(trial)
            return True
    return False
