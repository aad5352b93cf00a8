"""Integer constants and kinds a Fortran file declares or imports.

Public API:
  NAMED_KINDS                                   iso_fortran_env / iso_c_binding kind names, in bytes
  resolve_kind(expr, params) -> int | None      8 for real(8), real(dp), real(real64), ...
  kind_parameters(text) -> {name: int}          `integer, parameter :: dp = kind(1.d0)`,
                                                FORTRAN 77 `PARAMETER (NMAX = 100)`
  renamed_kinds(text, params, search)           `use m, only: wp => dp`, m's source found on `search`
  module_file(module, search) -> Path | None    MODULE.f90 (.F90, .f, ...) or a source defining it
  source_named(stem, search) -> Path | None     STEM.f90 (.F90, .f, ...) in a search directory
  split_top(text) -> list[str]                  split at commas outside parentheses
  join_continuations(text) -> str               free-form `&` continuation lines joined
"""

from __future__ import annotations

import re
from pathlib import Path

from .int_expr import evaluate_integer

# Kind names a source may use, with their size in bytes.
NAMED_KINDS = {
    "real32": 4, "real64": 8, "int32": 4, "int64": 8, "c_float": 4, "c_double": 8, "c_int": 4, "c_long": 8,
    "c_long_long": 8, "c_int32_t": 4, "c_int64_t": 8, "c_bool": 1,
}


def resolve_kind(expr: str, params: dict[str, int]) -> int | None:
    expr = expr.strip().lower()
    if expr.isdigit():
        return int(expr)
    if expr in params:
        return params[expr]
    if expr in NAMED_KINDS:
        return NAMED_KINDS[expr]
    return _kind_value(expr)


def _kind_value(expr: str) -> int | None:
    """kind(1.0d0), selected_real_kind(15), selected_int_kind(18), ..."""
    expr = expr.replace(" ", "")
    m = re.match(r"kind\((.*)\)$", expr)
    if m:
        lit = m.group(1)
        if "d" in lit:
            return 8
        m2 = re.search(r"_(\w+)$", lit)
        if m2:
            return NAMED_KINDS.get(m2.group(1)) or (int(m2.group(1)) if m2.group(1).isdigit() else None)
        return 4
    m = re.match(r"selected_real_kind\((?:p=)?(\d+)", expr)
    if m:
        p = int(m.group(1))
        return 4 if p <= 6 else 8 if p <= 15 else None
    m = re.match(r"selected_int_kind\((?:r=)?(\d+)", expr)
    if m:
        r = int(m.group(1))
        return 4 if r <= 9 else 8 if r <= 18 else None
    return NAMED_KINDS.get(expr)


def kind_parameters(text: str) -> dict[str, int]:
    """Named integer constants declared anywhere in the file (integer, parameter :: dp = ...,
    PARAMETER (NMAX = 100)): kinds and extents."""
    params: dict[str, int] = {}
    text = text.replace(";", "\n")  # statements that share a line (and INCLUDEd ones) each on their own
    for m in re.finditer(r"(?im)^\s*integer\s*,\s*parameter\s*::(.*)$", text):
        for part in m.group(1).split(","):
            if "=" in part:
                name, value = part.split("=", 1)
                value = value.split("!")[0].strip()
                kind = resolve_kind(value, params) if value else None
                if kind:
                    params[name.strip().lower()] = kind
    # FORTRAN 77: PARAMETER (NMAX = 100, LDA = NMAX + 1) with integer values.
    for m in re.finditer(r"(?im)^\s*(?:\d+\s+)?parameter\s*\((.*)\)\s*$", text):
        for part in split_top(m.group(1)):
            if "=" in part:
                name, value = (s.strip().lower() for s in part.split("=", 1))
                try:
                    params.setdefault(name, evaluate_integer(value, lambda ident: params[ident.lower()]))
                except (KeyError, ValueError, SyntaxError):
                    pass
    # Parenthesised commas (selected_real_kind(15, 307)) are split above; retry those lines whole.
    for m in re.finditer(r"(?im)^\s*integer\s*,\s*parameter\s*::\s*(\w+)\s*=\s*([^!\n]+)", text):
        name = m.group(1).lower()
        if name not in params:
            kind = resolve_kind(m.group(2).strip(), params)
            if kind:
                params[name] = kind
    return params


def renamed_kinds(text: str, params: dict[str, int], search: list[Path]) -> dict[str, int]:
    """Kinds imported under another name: `use m, only: wp => dp`. `dp` is resolved from the
    file's own constants, the intrinsic modules' names, or module `m`'s source found next to
    the file (or in an -I directory) as m.f90 / m.f / m.F90."""
    found: dict[str, int] = {}
    for match in re.finditer(r"(?im)^\s*use\b[\s,:a-z_]*?(\w+)\s*,\s*only\s*:([^!\n]*)", join_continuations(text)):
        module, items = match.group(1).lower(), match.group(2)
        module_params = None
        for local, remote in re.findall(r"(\w+)\s*=>\s*(\w+)", items):
            local, remote = local.lower(), remote.lower()
            kind = params.get(remote) or NAMED_KINDS.get(remote)
            if kind is None:
                if module_params is None:
                    module_params = _module_kinds(module, search)
                kind = module_params.get(remote)
            if kind:
                found[local] = kind
    return found


def join_continuations(text: str) -> str:
    """Free-form continuation lines joined to their statement (`use m, &` / `only: wp => dp`),
    so that one statement reads as one line; comments after the `&` go with it."""
    return re.sub(r"&[ \t]*(?:![^\n]*)?\n(?:[ \t]*(?:![^\n]*)?\n)*[ \t]*&?", " ", text)


def _module_kinds(module: str, search: list[Path]) -> dict[str, int]:
    found = module_file(module, search)
    return kind_parameters(found.read_text(errors="replace")) if found else {}


SOURCE_SUFFIXES = (".f90", ".F90", ".f", ".F", ".f95", ".f03", ".f08", ".for")


def source_named(stem: str, search) -> Path | None:
    """STEM.f90 (.F90, .f, ...; the name's case ignored) in the first search directory holding one."""
    for directory in search:
        directory = Path(directory)
        if not directory.is_dir():
            continue
        for candidate in sorted(directory.iterdir()):
            if candidate.suffix in SOURCE_SUFFIXES and candidate.stem.lower() == stem.lower() and candidate.is_file():
                return candidate
    return None


def module_file(module: str, search) -> Path | None:
    """The source of module `module`: MODULE.f90 (.F90, .f, ...), else the first Fortran source of
    the search directories that defines it (`module la_xisnan` kept in some other file)."""
    found = source_named(module, search)
    if found is not None:
        return found
    pattern = re.compile(rf"(?im)^[ \t]*module[ \t]+{re.escape(module)}[ \t]*(?:!.*)?$")
    for directory in search:
        directory = Path(directory)
        if not directory.is_dir():
            continue
        for candidate in sorted(directory.iterdir()):
            if candidate.suffix not in SOURCE_SUFFIXES or not candidate.is_file():
                continue
            try:
                if pattern.search(candidate.read_text(encoding="utf-8", errors="replace")):
                    return candidate
            except OSError:
                continue
    return None


def split_top(text: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return parts
