"""The fixed range of a loop whose bounds depend on the thread or on an enclosing loop.

`for (t2 = 0; t2 <= t; ++t2)` runs a different number of times on each thread; TE reductions run
over a range fixed for the whole workload.  Such a loop becomes a reduction over a hull [lo, hi)
(expressions over scalar parameters only) that provably contains every iteration of every thread,
with the predicate `start <= v && v < end` selecting exactly the iterations the thread runs.

The hull comes from symbolic interval bounds: a grid or output axis lies in [0, extent), a reduce
variable in its own loop's hull, `a % m` in [-(|m|-1), |m|-1] (from 0 when a >= 0), `a / c` for a
positive constant c is monotone; sums, constant multiples, min, max and selects combine them.
A bound these rules cannot carry (a product of two varying values, a value read from an array) has
no hull, and the loop is refused.
"""

from __future__ import annotations

from .ir import Bin, Call, Cast, Const, Expr, Neg, Select, StageRef, Sym, binary, children, is_float, symbols, to_poly
from .patterns import canonical, contains_load, index_like

VARYING = ("axis", "reduce", "thread", "acc", "pending", "probe")


def is_fixed(e: Expr) -> bool:
    """An index expression over scalar parameters and constants only (the same on every thread)."""
    return index_like(e) and not symbols(e, VARYING) and not contains_load(e) and not _reads_stage(e)


def iteration_hull(var: str, start: Expr, end: Expr, extents: dict, hulls: dict):
    """(lo, hi, where) for a loop `var` from `start` while `var < end`: where is None when both bounds
    are fixed (lo, hi are then start, end); None when no hull can be proven.

    extents: axis -> its extent; hulls: reduce variable -> (lo, hi) of its loop."""
    if is_fixed(start) and is_fixed(end):
        return start, end, None
    for bound in (start, end):
        if is_float(bound.dtype) or contains_load(bound) or _reads_stage(bound) \
                or symbols(bound, ("thread", "acc", "pending", "probe")):
            return None
    bounds = _Bounds(extents, hulls)
    lo = start if is_fixed(start) else bounds.lower(start)
    hi = end if is_fixed(end) else bounds.upper(end)
    if lo is None or hi is None:
        return None
    v = Sym("int32", var, "reduce")
    conditions = []
    if not is_fixed(start):
        conditions.append(binary(">=", v, start))
    if not is_fixed(end):
        conditions.append(binary("<", v, end))
    where = conditions[0]
    for condition in conditions[1:]:
        where = binary("&&", where, condition)
    return _tidy(lo), _tidy(hi), where


def _tidy(e: Expr) -> Expr:
    return canonical(e) if to_poly(e) is not None else e


class _Bounds:
    """Lower and upper bounds over scalar parameters (inclusive), or None where none is proven."""

    def __init__(self, extents: dict, hulls: dict):
        self.extents = extents
        self.hulls = hulls

    def lower(self, e: Expr):
        return self._bound(e, low=True)

    def upper(self, e: Expr):
        return self._bound(e, low=False)

    def _bound(self, e: Expr, low: bool):
        if is_float(e.dtype):
            return None
        if is_fixed(e):
            return e
        if isinstance(e, Sym) and e.kind == "axis":
            extent = self.extents.get(e.name)
            if extent is None:
                return None
            return Const("int32", 0) if low else binary("-", extent, Const(extent.dtype, 1))
        if isinstance(e, Sym) and e.kind == "reduce" and e.name in self.hulls:
            lo, hi = self.hulls[e.name]
            return lo if low else binary("-", hi, Const(hi.dtype, 1))
        if isinstance(e, Cast):
            if not _widens(e.a.dtype, e.dtype):  # a narrowing cast may wrap: no order kept
                return None
            inner = self._bound(e.a, low)
            return None if inner is None else Cast(e.dtype, inner)
        if isinstance(e, Neg):
            inner = self._bound(e.a, not low)
            return None if inner is None else Neg(inner.dtype, inner)
        if isinstance(e, Call) and e.fn in ("max", "min") and len(e.args) == 2:
            a, b = (self._bound(arg, low) for arg in e.args)
            return None if a is None or b is None else Call(e.dtype, e.fn, (a, b))
        if isinstance(e, Select):
            a, b = self._bound(e.a, low), self._bound(e.b, low)
            return None if a is None or b is None else Call(e.dtype, "min" if low else "max", (a, b))
        if isinstance(e, Bin):
            return self._binary(e, low)
        return None

    def _binary(self, e: Bin, low: bool):
        if e.op in ("+", "-"):
            a = self._bound(e.a, low)
            b = self._bound(e.b, low if e.op == "+" else not low)
            return None if a is None or b is None else binary(e.op, a, b)
        if e.op == "*":
            for factor, other in ((e.a, e.b), (e.b, e.a)):
                if isinstance(factor, Const):
                    inner = self._bound(other, low if factor.value >= 0 else not low)
                    return None if inner is None else binary("*", factor, inner)
            return None
        if e.op == "/" and isinstance(e.b, Const) and e.b.value > 0:
            inner = self._bound(e.a, low)  # truncating division by a positive constant keeps the order
            return None if inner is None else binary("/", inner, e.b)
        if e.op == "%" and is_fixed(e.b):
            # |a % m| < |m| (C truncates), and a % m >= 0 when a >= 0
            if isinstance(e.b, Const) and e.b.value > 0:
                largest = Const(e.b.dtype, e.b.value - 1)
            else:
                largest = binary("-", Call(e.b.dtype, "max", (e.b, Neg(e.b.dtype, e.b))), Const(e.b.dtype, 1))
            if not low:
                return largest
            floor = self._bound(e.a, True)
            if floor is not None and _non_negative(floor):
                return Const(e.dtype, 0)
            return Neg(largest.dtype, largest)
        return None


def _non_negative(e: Expr) -> bool:
    poly = to_poly(e)
    return poly is not None and set(poly) <= {()} and poly.get((), 0) >= 0


def _reads_stage(e: Expr) -> bool:
    return isinstance(e, StageRef) or any(_reads_stage(c) for c in children(e))


_SIGNED_BITS = {"bool": 1, "int8": 8, "int16": 16, "int32": 32, "int64": 64}


def _widens(source: str, target: str) -> bool:
    return source in _SIGNED_BITS and target in _SIGNED_BITS and _SIGNED_BITS[target] >= _SIGNED_BITS[source] > 1
