"""Bounds on generated sizes that keep the reference inside its arrays.

Public API:
  size_floors(proc) -> {size: least value}     a subscript `size - c` exists (border copies)
  size_ceilings(proc) -> {size: largest value}  a loop up to `size` indexes an array of constant extent
  size_relations(proc) -> [(size, factor, other, offset)]  size >= factor*other + offset (grids)
  callee_subscript_bounds(proc, arg) -> (low, high) | None   an integer that subscripts a constant-extent
                                                             array, in the procedure or a callee

All read the procedure's text; a bound only narrows the sizes drawn, so a rule that fires where
it need not costs coverage of some sizes, never a wrong verdict. verify/int_constraints.py turns
them into constraints, solved with the routine's other ones by verify/int_solver.py; the locals
a subscript goes through (`i1 = 2*j1 - d1`) come from verify/local_aliases.py.
"""

from __future__ import annotations

import re

from .fortran_kinds import split_top
from .fortran_signature import Procedure, evaluate_extent
from .local_aliases import Alias, local_aliases

_REFERENCE = r"\b{name}\s*\(((?:[^()]|\([^()]*\))*)\)"
_DECLARATION = re.compile(r"\s*(?:integer|real|double\s*precision|logical|complex|dimension|common)\b", re.I)
# do [label] counter = start, end   (no step: the loop runs up to `end`)
_DO = re.compile(r"(?m)\bdo\s*(?:\d+\s*,?\s*)?([a-z_]\w*)\s*=\s*[^,\n;]+,\s*([a-z_]\w*)\s*(?:([-+])\s*(\d+))?\s*(?:$|;)")


def _offset(sign: str | None, digits: str | None) -> int:
    return int(digits or 0) * (-1 if sign == "-" else 1)


def _passed_on(proc: Procedure, limits, seen: frozenset[str]) -> list[tuple[str, int]]:
    """(size, limit) for each size argument passed whole to a callee (`call comm3(u, n1, n2, n3,
    k)`) whose own limit for that dummy is known: the callee's accesses count as the caller's."""
    sizes = {a.name for a in proc.args if a.is_size}
    found = []
    for callee in proc.callees:
        if callee.name in seen:
            continue
        own = limits(callee, seen | {proc.name})
        if not own:
            continue
        for m in re.finditer(_REFERENCE.format(name=re.escape(callee.name)), proc.body):
            for position, actual in enumerate(split_top(m.group(1))):
                if actual.strip() in sizes and position < len(callee.args) and callee.args[position].name in own:
                    found.append((actual.strip(), own[callee.args[position].name]))
    return found


def size_floors(proc: Procedure, seen: frozenset[str] = frozenset()) -> dict[str, int]:
    """The least value of each size argument that keeps a subscript written as `size - c` within
    its dimension: `u(i1, i2, n3 - 1)` of `u(n1, n2, n3)` reads plane 0 when n3 is 1, outside the
    array, and the reference's result is undefined.  Sizes passed on to a callee of the file
    take its floors too."""
    sizes = {a.name for a in proc.args if a.is_size}
    floors: dict[str, int] = {}
    for size, least in _passed_on(proc, size_floors, seen):
        floors[size] = max(floors.get(size, 1), least)
    for arg in proc.args:
        if not arg.is_array:
            continue
        for m in re.finditer(_REFERENCE.format(name=re.escape(arg.name)), proc.body):
            parts = m.group(1).split(",")
            if len(parts) != len(arg.dims):
                continue
            for part, (lower, _) in zip(parts, arg.dims):
                hit = re.fullmatch(r"\s*([a-z_]\w*)\s*-\s*(\d+)\s*", part)
                if hit is None or hit.group(1) not in sizes:
                    continue
                low = int(lower) if lower.strip().lstrip("-").isdigit() else 1
                floors[hit.group(1)] = max(floors.get(hit.group(1), 1), int(hit.group(2)) + low)
    return floors


def size_ceilings(proc: Procedure, seen: frozenset[str] = frozenset(),
                  aliases: dict[str, Alias] | None = None) -> dict[str, int]:
    """The largest value of each size argument for which a DO loop running up to it (`do i1 =
    1, n1`) keeps the subscripts its counter forms (`r1(i1 + 1)`) within an array of constant
    extent (a work array `r1(m)` with `m` a named constant): NPB MG's smoothers bound their
    rows by such a buffer, and a larger size writes past it.  Sizes passed on to a callee of
    the file take its ceilings too."""
    sizes = {a.name for a in proc.args if a.is_size}
    ceilings: dict[str, int] = {}
    for size, most in _passed_on(proc, size_ceilings, seen):
        ceilings[size] = min(ceilings.get(size, most), most)
    loops = [(m.group(1), m.group(2), _offset(m.group(3), m.group(4))) for m in _DO.finditer(proc.body)]
    loops = [(counter, size, shift) for counter, size, shift in loops if size in sizes]
    if not loops:
        return ceilings
    aliases = local_aliases(proc) if aliases is None else aliases
    for name, extents in _constant_arrays(proc).items():
        for m in re.finditer(_REFERENCE.format(name=re.escape(name)), proc.body):
            parts = m.group(1).split(",")
            if len(parts) != len(extents):
                continue
            for part, (_, upper) in zip(parts, extents):
                linear = _linear(part, aliases)
                if linear is None:
                    continue
                factor, counter, reach = linear
                for name_, size, shift in loops:
                    if name_ == counter:  # counter <= size + shift, factor*counter + reach <= upper
                        most = (upper - reach) // factor - shift
                        ceilings[size] = min(ceilings.get(size, most), most)
    return ceilings


def _linear(part: str, aliases: dict[str, Alias]) -> tuple[int, str, int] | None:
    """(factor, counter, offset) of a subscript `counter + c`, `a*counter + c`, or `alias + c`."""
    m = re.fullmatch(r"\s*(?:(\d+)\s*\*\s*)?([a-z_]\w*)\s*(?:([-+])\s*(\d+))?\s*", part)
    if m is None:
        return None
    reach = _offset(m.group(3), m.group(4))
    if m.group(1) is None and m.group(2) in aliases:
        alias = aliases[m.group(2)]
        return alias.factor, alias.base, alias.offset + reach
    return int(m.group(1) or 1), m.group(2), reach


def _constant_arrays(proc: Procedure) -> dict[str, list[tuple[int, int]]]:
    """Arrays that are not arguments, declared with extents the named constants give."""
    args = {a.name for a in proc.args}
    found: dict[str, list[tuple[int, int]]] = {}
    for statement in re.split(r"[\n;]", proc.body):
        if not _DECLARATION.match(statement):
            continue
        for name in proc.arrays - args - set(found):
            m = re.search(_REFERENCE.format(name=re.escape(name)), statement)
            if m is None:
                continue
            try:
                dims = []
                for dim in m.group(1).split(","):
                    lower, _, upper = dim.rpartition(":")
                    dims.append((evaluate_extent(lower or "1", proc.constants),
                                 evaluate_extent(upper, proc.constants)))
            except (ValueError, KeyError, ZeroDivisionError):
                continue
            found[name] = dims
    return found


def size_relations(proc: Procedure, aliases: dict[str, Alias] | None = None) -> list[tuple[str, int, str, int]]:
    """(t, a, s, b) for t >= a*s + b: a DO loop running up to `s + c` whose counter forms the
    subscript `a*i + d` (a and d literals, or through a local set once, `i1 = 2*j1 - d1`) of an
    argument array dimensioned by the size t
    (`do i1 = 1, mm1 - 1` ... `u(2*i1, ...)` of `u(n1, n2, n3)`: n1 >= 2*mm1 - 2). A fine grid
    addressed from a coarse one (NPB MG's interp) needs its sizes to agree."""
    sizes = {a.name for a in proc.args if a.is_size}
    loops = [(m.group(1), m.group(2), _offset(m.group(3), m.group(4))) for m in _DO.finditer(proc.body)]
    loops = [(counter, size, shift) for counter, size, shift in loops if size in sizes]
    found: dict[tuple[str, int, str], int] = {}
    aliases = local_aliases(proc) if aliases is None else aliases
    for arg in proc.args:
        if not arg.is_array:
            continue
        for m in re.finditer(_REFERENCE.format(name=re.escape(arg.name)), proc.body):
            parts = split_top(m.group(1))
            if len(parts) != len(arg.dims):
                continue
            for part, (lower, upper) in zip(parts, arg.dims):
                linear = _linear(part, aliases)
                target = upper.strip()
                if linear is None or linear[0] < 2 or target not in sizes or lower.strip() != "1":
                    continue
                factor, counter, reach = linear
                for name, size, shift in loops:
                    if name == counter and size != target:  # target >= factor*(size + shift) + reach
                        key = (target, factor, size)
                        found[key] = max(found.get(key, factor * shift + reach), factor * shift + reach)
    return [(t, a, s, b) for (t, a, s), b in found.items()]


def _constant_subscript_bounds(proc: Procedure, name: str) -> list[tuple[int, int]]:
    """(low, high) of each dimension of a constant-extent local or COMMON array that `name` is
    the whole subscript of (`start(n)` of `start(64)`)."""
    bounds = []
    for array, extents in _constant_arrays(proc).items():
        for use in re.finditer(_REFERENCE.format(name=re.escape(array)), proc.body):
            parts = split_top(use.group(1))
            if len(parts) == len(extents):
                bounds += [extents[p] for p, part in enumerate(parts) if part.strip() == name]
    return bounds


def callee_subscript_bounds(proc: Procedure, arg) -> tuple[int, int] | None:
    """[low, high] for an integer scalar argument that subscripts an array of constant extent of
    the procedure (`start(n)` of a COMMON `start(64)`), or that the procedure passes, whole, to a
    procedure of the same file (`call rep_nrm(u, n1, n2, n3, 'title', k)`) that uses it as a whole subscript of
    an array of constant extent (`nx(kk)` of `nx(maxlevel)`): a level beyond the array would
    read outside it in the reference."""
    if arg.base != "integer" or arg.is_array or arg.intent == "out":
        return None
    bounds = _constant_subscript_bounds(proc, arg.name)
    for callee in proc.callees:
        for m in re.finditer(_REFERENCE.format(name=re.escape(callee.name)), proc.body):
            for position, actual in enumerate(split_top(m.group(1))):
                # the argument itself, or shifted by a constant (`k - 1`: a coarser level)
                hit = re.fullmatch(rf"\s*{re.escape(arg.name)}\s*(?:([-+])\s*(\d+))?\s*", actual)
                if hit and position < len(callee.args):
                    shift = _offset(hit.group(1), hit.group(2))
                    bounds += [(low - shift, high - shift)
                               for low, high in _constant_subscript_bounds(callee, callee.args[position].name)]
    if not bounds:
        return None
    low, high = max(b[0] for b in bounds), min(b[1] for b in bounds)
    return (low, high) if high >= low else None
