"""Locals a routine derives from one variable by a linear formula, read once for every reader of
constraints on integer arguments (verify/size_limits.py, verify/relations.py, gathered by
verify/int_constraints.py).

  lm1 = l - 1          an argument plus a constant (LINPACK's dchex: `do j = k, lm1` means k < l)
  i1 = 2*j1 - d1       a loop counter scaled, d1 set only to literals (NPB MG's rprj3 reads a fine
                       grid at i1 from a coarse loop over j1)

A local is an alias when every assignment to it is the same statement (rprj3 repeats
`i1 = 2*j1 - d1` per loop), it is neither an argument nor a DO variable, and its right side is
`[a*]name [+- c]` with `c` a literal or a variable set only to literals.

Public API:
  Alias(factor, base, offset, exact)   local = factor*base + offset; not `exact` when the offset
                                       is a variable's most favourable literal (its largest reach)
  local_aliases(proc) -> {local: Alias}
"""

from __future__ import annotations

import re
from typing import NamedTuple

_ASSIGNMENT = re.compile(r"^\s*(?:\d+\s+)?([a-z_]\w*)\s*=(?!=)\s*(.+?)\s*$")
_LINEAR = re.compile(r"(?:(\d+)\s*\*\s*)?([a-z_]\w*)\s*(?:([-+])\s*([a-z_]\w*|\d+))?")
_DO_VARIABLE = re.compile(r"(?m)\bdo\s+(?:\d+\s*,?\s*)?([a-z_]\w*)\s*=")


class Alias(NamedTuple):
    factor: int
    base: str
    offset: int
    exact: bool


def local_aliases(proc) -> dict[str, Alias]:
    statements = re.split(r"[\n;]", proc.body)
    assigned: dict[str, list[str]] = {}
    for statement in statements:
        m = _ASSIGNMENT.match(statement)
        if m is not None:
            assigned.setdefault(m.group(1), []).append(" ".join(m.group(2).split()))
    excluded = {a.name for a in proc.args} | set(proc.common_sizes) | set(_DO_VARIABLE.findall(proc.body))
    found: dict[str, Alias] = {}
    for name, values in assigned.items():
        if name in excluded or len(set(values)) != 1:
            continue
        m = _LINEAR.fullmatch(values[0])
        if m is None or m.group(2) == name or m.group(2).isdigit():
            continue
        sign = -1 if m.group(3) == "-" else 1
        term = m.group(4) or "0"
        if term.isdigit():
            offset, exact = sign * int(term), True
        else:  # d1 in `i1 = 2*j1 - d1`: its literals, the one that reaches furthest counts
            literals = [int(v) for v in re.findall(rf"(?m)\b{term}\s*=\s*(-?\d+)\s*$", proc.body)]
            if not literals or len(literals) != len(re.findall(rf"\b{term}\s*=(?!=)", proc.body)):
                continue
            offset, exact = (-min(literals) if sign < 0 else max(literals)), False
        found[name] = Alias(int(m.group(1) or 1), m.group(2), offset, exact)
    return found
