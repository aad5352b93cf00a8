"""Relations between integer arguments that a routine relies on, read from its own code.

Legacy routines state preconditions such as LINPACK's `k < l <= p` in comments; random sizes
break them and the reference then reads or writes out of bounds (a crash, or garbage that
differs between the two sides). Two kinds of code say what the routine expects:

  guards   `if (k .lt. 1 .or. k .gt. l) then ... return / stop / call xerbla`, and the one-line
           `if (n .lt. 2) return`: each comparison of the condition is false on accepted input,
           so its negation is a relation (k >= 1, k <= l). Every fourth case keeps its drawn
           values, so the guarded error path is still taken (verify/int_solver.py).
  loops    `do j = k, l - 1` where each bound is an argument plus a constant (directly, or
           through a local assigned from one, `lm1 = l - 1`) and the two are different
           arguments: the routine is written for a loop that runs, so k <= l - 1. Applied to
           every case.

Relations only ever link an argument to another argument or to a constant. They are one part
of the constraint set verify/int_constraints.py gathers.

Public API:
  relations_of(proc, aliases=None) -> list[Relation]   what the body implies (sizes and integer scalars)
  Relation(left, left_offset, right, right_offset, source, text)
      left + left_offset <= right + right_offset; a side without a name is a constant; `source` is
      GUARD or LOOP, `text` the statement it was read from
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .local_aliases import Alias, local_aliases

from .fortran_kinds import split_top

_OPS = {".lt.": "<", ".le.": "<=", ".gt.": ">", ".ge.": ">=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_NEGATED = {"<": ">=", "<=": ">", ">": "<=", ">=": "<"}
_TERM = re.compile(r"\s*(?:([a-z_]\w*)\s*(?:([-+])\s*(\d+))?|([-+]?\d+))\s*")
GUARD, LOOP = "guard", "loop"


class Relation(NamedTuple):
    left: str | None
    left_offset: int
    right: str | None
    right_offset: int
    source: str  # GUARD or LOOP
    text: str


def relations_of(proc, aliases: dict[str, Alias] | None = None) -> list[Relation]:
    integers = {a.name for a in proc.args if a.base == "integer" and not a.is_array and a.intent != "out"}
    integers |= set(proc.common_sizes)
    body = proc.body
    # an argument plus a constant (lm1 = l - 1)
    aliases = {name: (alias.base, alias.offset)
               for name, alias in (local_aliases(proc) if aliases is None else aliases).items()
               if alias.factor == 1 and alias.exact and alias.base in integers}
    found: list[Relation] = []
    for condition in _guard_conditions(body):
        for atom in _top_level_or(condition):
            relation = _comparison(atom, integers, aliases, negate=True, text=f"if ({condition.strip()})")
            if relation is not None:
                found.append(relation)
    for m in re.finditer(r"(?m)^\s*(?:\d+\s+)?do\s+(?:\d+\s*,?\s*)?\w+\s*=\s*(.+)$", body):
        bounds = [b.strip() for b in split_top(m.group(1))]
        if len(bounds) not in (2, 3) or (len(bounds) == 3 and bounds[2] not in ("1", "+1")):
            continue
        low, high = _term(bounds[0], integers, aliases), _term(bounds[1], integers, aliases)
        if low and high and low[0] and high[0] and low[0] != high[0]:
            found.append(Relation(low[0], low[1], high[0], high[1], LOOP, " ".join(m.group(0).split())))
    first: dict[tuple, Relation] = {}
    for relation in found:  # one per relation, with the first statement that implies it
        first.setdefault(relation[:5], relation)
    return list(first.values())


def _top_level_or(condition: str) -> list[str]:
    """`a .or. (b .and. c) .or. d` -> [a, (b .and. c), d]; an .and. at top level makes one atom
    that no relation reads."""
    parts, depth, start, i = [], 0, 0, 0
    text = condition.replace("||", ".or.")
    while i < len(text):
        ch = text[i]
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0 and text.startswith(".or.", i):
            parts.append(text[start:i])
            start = i = i + 4
            continue
        i += 1
    parts.append(text[start:])
    return [p for p in parts if ".and." not in p and "&&" not in p]


def _guard_conditions(body: str) -> list[str]:
    """Conditions of IF statements whose branch leaves the routine or reports an error."""
    found = []
    lines = body.splitlines()
    for i, line in enumerate(lines):
        m = re.match(r"\s*(?:\d+\s+)?if\s*\((.*)\)\s*(then\s*)?(.*)$", line)
        if not m:
            continue
        condition, rest = _balanced(m.group(1) + ")" + (m.group(2) or "") + m.group(3))
        if condition is None:
            continue
        rest = rest.strip()
        if rest.startswith("then"):
            block = " ".join(lines[i + 1:i + 4])
            leaves = re.search(r"\b(return|stop|error\s+stop|call\s+xerbla|call\s+abort)\b", block)
            if leaves and not re.search(r"\b(else|end\s*if|endif)\b", block[:leaves.start()]):
                found.append(condition)
        elif re.match(r"(return|stop|error\s+stop|call\s+xerbla|call\s+abort)\b", rest):
            found.append(condition)
    return found


def _balanced(text: str) -> tuple[str | None, str]:
    """Split 'cond) rest' at the parenthesis that closes the IF's condition."""
    depth = 1
    for i, ch in enumerate(text):
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0:
            return text[:i], text[i + 1:]
    return None, ""


def _comparison(atom: str, integers: set[str], aliases: dict, negate: bool, text: str) -> Relation | None:
    atom = atom.strip()
    while atom.startswith("(") and _balanced(atom[1:])[1].strip() == "":
        atom = atom[1:-1].strip()
    m = re.fullmatch(r"(.+?)\s*(\.lt\.|\.le\.|\.gt\.|\.ge\.|<=|>=|<|>)\s*(.+)", atom)
    if not m:
        return None
    left, right = _term(m.group(1), integers, aliases), _term(m.group(3), integers, aliases)
    if left is None or right is None or not (left[0] or right[0]) or (left[0] and left[0] == right[0]):
        return None
    op = _OPS[m.group(2)]
    if negate:
        op = _NEGATED[op]
    if op in (">", ">="):
        left, right, op = right, left, "<" if op == ">" else "<="
    strict = 1 if op == "<" else 0
    return Relation(left[0], left[1] + strict, right[0], right[1], GUARD, text)


def _term(text: str, integers: set[str], aliases: dict) -> tuple[str | None, int] | None:
    """(argument or None, constant) for `n`, `n + 1`, `n - 2`, `3`, or a local alias of one."""
    m = _TERM.fullmatch(text.strip())
    if not m:
        return None
    if m.group(4):
        return None, int(m.group(4))
    name, offset = m.group(1), int(m.group(3) or 0) * (-1 if m.group(2) == "-" else 1)
    if name in integers:
        return name, offset
    if name in aliases:
        base, extra = aliases[name]
        return base, extra + offset
    return None
