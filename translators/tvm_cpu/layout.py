"""Stores that are not a row-major layout of the thread's axes: an output over the cells they span.

`B[i * NJ + j]` under `if (i < NI - 1 && j < NJ - 1)` (an interior: the row is wider than the
columns the threads cover), `A[k * n + j]` (a row at an offset), `q[i * NJ + k]` (a column): each
thread writes one cell `offset + sum(stride_a * a)`. With positive constant strides that nest (each
at least the next one times its axis's extent, so no two threads share a cell) the output becomes
one axis over the cells from 0 to the last one written: a cell is decoded back into the thread's
indices (`a = rem / stride_a`, `rem = rem % stride_a`) and gets the thread's value where it is one
a thread writes, else keeps its old value.
"""

from __future__ import annotations

from fractions import Fraction

from .ir import Bin, Call, Cast, Const, Expr, Load, Neg, Not, Select, StageRef, Sym, binary, children, symbols, to_poly


def strided_layout(buffer: str, index: Expr, value: Expr, axes: list, extents: dict, dtype: str, flat: str):
    """(extent of the cell axis `flat`, the value over it) or None when the layout is not such a one."""
    poly = to_poly(index)
    if poly is None or _has_stage(value):
        return None
    params = symbols(index, ("param",))
    strides: dict[str, Fraction] = {}
    offset: dict = {}
    for monomial, coeff in poly.items():
        in_axes = [name for name in monomial if name in axes]
        if len(in_axes) > 1 or (in_axes and len(monomial) > 1):
            return None  # a product of an axis with another symbol: no constant stride
        if in_axes:
            strides[in_axes[0]] = strides.get(in_axes[0], Fraction(0)) + coeff
        elif all(name in params for name in monomial):
            offset[monomial] = coeff
        else:
            return None
    if sorted(strides) != sorted(axes) or any(s.denominator != 1 or s <= 0 for s in strides.values()) \
            or any(c.denominator != 1 for c in offset.values()):
        return None
    order = sorted(axes, key=lambda a: -strides[a])
    for outer, inner in zip(order, order[1:]):
        extent = _constant(extents[inner])
        if extent is None or strides[outer] < strides[inner] * max(extent, 0):
            return None  # two threads could write one cell, or the extent is not known
    cell = Sym("int32", flat, "axis")
    start = _expr(offset)
    rem = binary("-", cell, start)
    cond = binary(">=", cell, start)
    decoded = {}
    for axis in order:
        stride = Const("int32", int(strides[axis]))
        decoded[axis] = binary("/", rem, stride)
        cond = binary("&&", cond, binary("<", decoded[axis], extents[axis]))
        rem = binary("%", rem, stride)
    if strides[order[-1]] != 1:
        cond = binary("&&", cond, binary("==", rem, Const("int32", 0)))
    last = start
    for axis in order:
        span = binary("*", Const("int32", int(strides[axis])), binary("-", extents[axis], Const("int32", 1)))
        last = binary("+", last, span)
    new = _substitute(value, decoded)
    old = Load(dtype, buffer, cell)
    return binary("+", last, Const("int32", 1)), Select(dtype, cond, new, old)


def _has_stage(e: Expr) -> bool:
    # a stage is indexed by the thread's axes by name, not by an expression: its readers keep them
    stack = [e]
    while stack:
        node = stack.pop()
        if isinstance(node, StageRef):
            return True
        stack.extend(children(node))
    return False


def _constant(e: Expr) -> int | None:
    poly = to_poly(e)
    if poly is None or any(monomial for monomial in poly):
        return None
    value = poly.get((), Fraction(0))
    return int(value) if value.denominator == 1 else None


def _expr(poly: dict) -> Expr:
    out: Expr = Const("int32", 0)
    for monomial in sorted(poly):
        term: Expr = Const("int32", int(poly[monomial]))
        for name in monomial:
            term = binary("*", term, Sym("int32", name, "param"))
        out = binary("+", out, term)
    return out


def _substitute(e: Expr, values: dict) -> Expr:
    """The expression with each axis symbol replaced by its decoded expression (no stage references)."""
    if isinstance(e, Sym):
        return values.get(e.name, e) if e.kind == "axis" else e
    if isinstance(e, Load):
        return Load(e.dtype, e.buffer, _substitute(e.index, values))
    if isinstance(e, Bin):
        return Bin(e.dtype, e.op, _substitute(e.a, values), _substitute(e.b, values))
    if isinstance(e, (Neg, Not, Cast)):
        return type(e)(e.dtype, _substitute(e.a, values))
    if isinstance(e, Call):
        return Call(e.dtype, e.fn, tuple(_substitute(a, values) for a in e.args))
    if isinstance(e, Select):
        return Select(e.dtype, _substitute(e.cond, values), _substitute(e.a, values), _substitute(e.b, values))
    return e
