"""Fortran `bind(C)` derived types with numeric fields: the structs of the Fortran -> C++ convention.

Public API:
  derived_types(text, params) -> {name: DerivedType}   every `type, bind(C) :: NAME ... end type`
                                                      of the file (with the module that holds it)
                                                      and every other derived type (refused later
                                                      with the reason)
  DerivedType.dtype -> numpy structured dtype          C layout (aligned), the same bytes a C++ POD
                                                      struct with the same field types in the same
                                                      order has

A bind(C) type is interoperable with a C struct of the same field types in the same order, so
the harness passes the bytes unchanged: the Fortran wrapper and the C++ driver each see their
own type, and the comparison splits every output into its fields (`p%x`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .fortran_kinds import resolve_kind

_TYPE_START = re.compile(r"^\s*type\s*(?:,\s*([^:]*?))?\s*::\s*([a-z_]\w*)\s*$|^\s*type\s+([a-z_]\w*)\s*$")
_TYPE_END = re.compile(r"^\s*end\s*type\b")
_MODULE_START = re.compile(r"^\s*module\s+(?!procedure\b)([a-z_]\w*)\s*$")
_MODULE_END = re.compile(r"^\s*end\s*module\b")
_FIELD = re.compile(r"^\s*(integer|real|double\s*precision|complex|logical|character|type|class)\b(.*?)::(.*)$")
_DTYPES = {("integer", 4): "int32", ("integer", 8): "int64", ("real", 4): "float32", ("real", 8): "float64"}


@dataclass
class DerivedType:
    name: str
    module: str | None  # the module that defines it, None for a type defined in a procedure
    bind_c: bool
    fields: list[tuple[str, str, int]] = field(default_factory=list)  # (name, base, kind), in order
    problem: str | None = None  # why it is outside the convention (None: usable)
    text: str = ""  # its definition, for a wrapper that cannot USE it
    line: int = 0

    @property
    def dtype(self):
        import numpy as np

        return np.dtype([(name, _DTYPES[(base, kind)]) for name, base, kind in self.fields], align=True)

    @property
    def field_dtypes(self) -> list[str]:
        return [_DTYPES[(base, kind)] for _, base, kind in self.fields]


def derived_types(text: str, params: dict[str, int]) -> dict[str, DerivedType]:
    found: dict[str, DerivedType] = {}
    module = None
    current: DerivedType | None = None
    body: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("!", 1)[0].lower()
        if current is not None:
            body.append(raw)
            if _TYPE_END.match(line):
                current.text = "\n".join(body)
                if not current.fields and current.problem is None:
                    current.problem = "has no fields"
                found[current.name] = current
                current = None
            elif line.strip() and not re.match(r"^\s*(sequence|private|public)\s*$", line):
                _add_field(current, line, params)
            continue
        if _MODULE_END.match(line):
            module = None
            continue
        match = _MODULE_START.match(line)
        if match:
            module = match.group(1)
            continue
        match = _TYPE_START.match(line)
        if match and not re.match(r"^\s*type\s*\(", line):
            attrs = (match.group(1) or "").replace(" ", "")
            name = match.group(2) or match.group(3)
            current = DerivedType(name=name, module=module, bind_c="bind(c)" in attrs, line=number)
            body = [raw]
            if not current.bind_c:
                current.problem = ("is not BIND(C): only bind(C) types have a C layout (declare it "
                                   f"'type, bind(C) :: {name}')")
    return found


def _add_field(dtype: DerivedType, line: str, params: dict[str, int]) -> None:
    if dtype.problem is not None:
        return
    match = _FIELD.match(line)
    if not match:
        dtype.problem = f"has a component the convention cannot read ('{line.strip()}')"
        return
    base, spec, names = match.group(1).replace(" ", ""), match.group(2).replace(" ", ""), match.group(3)
    if base == "doubleprecision":
        base, kind = "real", 8
    elif base in ("integer", "real"):
        kind_text = re.match(r"^\((?:kind=)?([^)]*)\)", spec)
        star = re.match(r"^\*(\d+)", spec)
        kind = (resolve_kind(kind_text.group(1), params) if kind_text else
                int(star.group(1)) if star else 4)
        if re.search(r"(dimension|pointer|allocatable)", spec):
            kind = None
    else:
        kind = None
    entries = [n.strip() for n in re.split(r",(?![^(]*\))", names) if n.strip()]
    if kind is None or (base, kind) not in _DTYPES or any(not re.fullmatch(r"[a-z_]\w*", n) for n in entries):
        dtype.problem = (f"has component(s) '{names.strip()}' that are not numeric scalars (integer or real "
                         "of kind 4 or 8, no arrays, pointers or nested types)")
        return
    dtype.fields += [(n, base, kind) for n in entries]
