"""Outputs that hold a clock reading, which two runs never share: they are not compared.

Public API:
  clock_fed(entry, texts, c_sources) -> {output name: why}

A timer routine (`start(n) = elapsed_time()`, with `elapsed_time` reading a C `wtime` built on
gettimeofday) stores the wall clock in COMMON; the reference and the candidate read the clock at
different instants, so such a member differs on every run whatever the translation.  The rule:
a value is *clock-fed* when it comes from a clock (a Fortran clock intrinsic, or a routine whose
C source calls a clock API), or is computed from a clock-fed value.  Clock-fed outputs of the
entry (arguments, result, COMMON members, matched by block and position across procedures) are
left out of the comparison and named in a warning; everything else is compared as before.

The analysis reads the text of the procedures the entry reaches (the source and the files of
the procedures it calls): assignments, CALL arguments, function references and COMMON
statements.  It is deliberately coarse (a whole array is clock-fed when one element is).
"""

from __future__ import annotations

import re
from pathlib import Path

from .fortran_kinds import split_top

# C clock APIs, and Fortran intrinsics that return the time
_C_CLOCK = re.compile(r"\b(?:gettimeofday|clock_gettime|clock|time|times|getrusage|omp_get_wtime|ftime)\s*\(")
_CLOCK_SUBROUTINES = {"cpu_time", "system_clock", "date_and_time"}
_CLOCK_FUNCTIONS = {"omp_get_wtime", "mpi_wtime", "secnds", "etime", "dtime"}
_HEADER = re.compile(r"(?im)^[^!\n]*?\b(subroutine|function)\s+(\w+)\s*(\(([^)]*)\))?(?:\s*result\s*\(\s*(\w+)\s*\))?")
_ASSIGN = re.compile(r"^\s*(?:\d+\s+)?(?:if\s*\(.*\)\s*)?([a-z_]\w*)\s*(?:\((?:[^()]|\([^()]*\))*\))?\s*=(?![=>])(.*)$")
_CALL = re.compile(r"\bcall\s+(\w+)\s*(?:\(((?:[^()]|\([^()]*\))*)\))?")


class _Unit:
    def __init__(self, kind: str, name: str, args: list[str], result: str | None, text: str):
        self.kind, self.name, self.args, self.result, self.text = kind, name, args, result, text
        self.fed: set[str] = set()
        self.commons: dict[str, tuple[str, int]] = {}  # member -> (block, position)
        for block, names in re.findall(r"(?im)^\s*common\s*/\s*(\w*)\s*/(.*)$", text):
            for position, item in enumerate(split_top(names)):
                member = re.match(r"\s*(\w+)", item)
                if member:
                    self.commons[member.group(1)] = (block, position)


def _units(texts: list[str]) -> dict[str, _Unit]:
    units: dict[str, _Unit] = {}
    for text in texts:
        lower = "\n".join(line for line in text.lower().splitlines()
                          if not re.match(r"[c*](?![a-z0-9_])|\s*!", line))
        heads = list(_HEADER.finditer(lower))
        for index, head in enumerate(heads):
            end = heads[index + 1].start() if index + 1 < len(heads) else len(lower)
            args = [a.strip() for a in (head.group(4) or "").split(",") if a.strip()]
            kind, name = head.group(1), head.group(2)
            result = head.group(5) or (name if kind == "function" else None)
            units.setdefault(name, _Unit(kind, name, args, result, lower[head.end():end]))
    return units


def _reachable(units: dict[str, _Unit], entry: str) -> list[_Unit]:
    seen, stack = [], [entry]
    while stack:
        name = stack.pop()
        if name in seen or name not in units:
            continue
        seen.append(name)
        stack += [n for n in units if n not in seen and re.search(rf"\b{re.escape(n)}\s*\(", units[name].text)]
    return [units[n] for n in seen]


def clock_routines(c_sources: list[Path]) -> dict[str, str]:
    """C routines (by the NAME.c they come from) that read a clock: name -> the API they call."""
    found = {}
    for path in c_sources:
        try:
            hit = _C_CLOCK.search(re.sub(r"/\*.*?\*/", "", path.read_text(errors="replace"), flags=re.S))
        except OSError:
            continue
        if hit:
            found[path.stem.lower()] = f"{path.name} calls {hit.group(0).rstrip('( ')}"
    return found


def clock_fed(entry: str, texts: list[str], c_sources: list[Path]) -> dict[str, str]:
    """{name: why} for the entry's dummy arguments, result and COMMON members that are clock-fed."""
    c_clocks = clock_routines(c_sources)
    intrinsics = _CLOCK_SUBROUTINES | _CLOCK_FUNCTIONS
    if not c_clocks and not any(re.search(rf"\b{n}\b", t.lower()) for t in texts for n in intrinsics):
        return {}
    units = _units(texts)
    if entry not in units:
        return {}
    reach = _reachable(units, entry)
    clock_subs = dict.fromkeys(list(c_clocks) + sorted(_CLOCK_SUBROUTINES), "")
    clock_funcs = dict.fromkeys(_CLOCK_FUNCTIONS, "")
    fed_commons: set[tuple[str, int]] = set()
    changed = True
    while changed:
        changed = False
        for unit in reach:
            before = len(unit.fed) + len(fed_commons) + len(clock_subs) + len(clock_funcs)
            _propagate(unit, units, clock_subs, clock_funcs, fed_commons)
            if len(unit.fed) + len(fed_commons) + len(clock_subs) + len(clock_funcs) != before:
                changed = True
    own = units[entry]
    why = "computed from a clock reading" + (f" ({'; '.join(c_clocks.values())})" if c_clocks else "")
    names = own.args + ([own.result] if own.result else []) + list(own.commons)
    fed = {name: why for name in names if name in own.fed or own.commons.get(name) in fed_commons}
    if own.result and own.result in fed:
        # the harness names a function's result "result" (fortran_signature); the warning keeps the Fortran name
        fed[RESULT] = f"{why}; it is the result of '{own.name}'"
    return fed


RESULT = "result"


def _propagate(unit: _Unit, units, clock_subs, clock_funcs, fed_commons) -> None:
    for member, place in unit.commons.items():
        if place in fed_commons:
            unit.fed.add(member)
    for statement in re.split(r"[\n;]", unit.text):
        for call in _CALL.finditer(statement):
            name, actuals = call.group(1), split_top(call.group(2) or "")
            callee = units.get(name)
            for position, actual in enumerate(actuals):
                base = re.match(r"\s*([a-z_]\w*)", actual)
                if base is None:
                    continue
                if name in clock_subs or (callee is not None and position < len(callee.args)
                                          and callee.args[position] in callee.fed):
                    unit.fed.add(base.group(1))
        assigned = _ASSIGN.match(statement)
        if assigned is None or statement.lstrip().startswith(("do ", "do\t")):
            continue
        target, value = assigned.group(1), assigned.group(2)
        names = set(re.findall(r"\b([a-z_]\w*)\b", value))
        if names & unit.fed or names & set(clock_funcs):
            unit.fed.add(target)
    if unit.kind == "function" and unit.result in unit.fed:
        clock_funcs.setdefault(unit.name, f"{unit.name} returns a clock reading")
    for member, place in unit.commons.items():
        if member in unit.fed:
            fed_commons.add(place)
