"""Other files a Fortran source needs built with it: the modules it USEs and the external
procedures it calls, found next to it or in an -I directory.

Public API:
  used_module_sources(text, search) -> [Path]                  dependencies first
  external_procedure_sources(path, text, search) -> [Path]     NAME.f / NAME.f90 of called routines
  c_procedure_sources(texts, search) -> [Path]                 NAME.c of called routines with no Fortran source
  c_headers(c_source) -> [Path]                                the "x.h" files a C source includes, beside it
"""

from __future__ import annotations

import re
from pathlib import Path

from .fortran_kinds import module_file

_INTRINSIC_MODULES = {"iso_c_binding", "iso_fortran_env", "omp_lib", "omp_lib_kinds", "ieee_arithmetic",
                      "ieee_exceptions", "ieee_features", "openacc", "mpi", "mpi_f08"}


def external_procedure_sources(path: Path, text: str, search: list[Path]) -> list[Path]:
    """Files of the external procedures a file calls but does not define (`call dtrsm(...)`,
    `EXTERNAL DLASWP`, `idamax(...)` in an expression), found as NAME.f / NAME.f90 next to it or in an -I directory, and
    theirs in turn. LSAME and XERBLA are left to the harness."""
    found: list[Path] = []
    pending = [text]
    seen = {"lsame", "xerbla"}
    while pending:
        lower = pending.pop().lower()
        defined = set(re.findall(r"(?m)^[^!\n]*?(?:subroutine|function)\s+(\w+)", lower))
        seen |= defined
        names = set(re.findall(r"\bcall\s+(\w+)", lower))
        # Functions are referenced without CALL (`l = idamax(n, dx, 1)`): any name applied to
        # arguments counts, but only names with a NAME.f file beside the source are taken.
        names |= set(re.findall(r"\b([a-z]\w*)\s*\(", lower))
        explicit = set(re.findall(r"\bcall\s+(\w+)", lower))
        for m in re.finditer(r"(?m)^\s*(?:\d+\s+)?external\s*(?:::)?\s*([\w\s,]+)$", lower):
            explicit |= {n.strip() for n in m.group(1).split(",") if n.strip()}
        names |= explicit
        for name in sorted(names - seen):
            seen.add(name)
            for directory in search:
                candidates = [Path(directory) / f"{name}{s}" for s in (".f", ".f90", ".F", ".F90", ".for")]
                hit = next((c for c in candidates if c.is_file() and c.resolve() != path.resolve()), None)
                if hit is None and name in explicit:
                    hit = _defining_file(name, directory, path, found)
                if hit is not None:
                    found.append(hit)
                    pending.append(hit.read_text(errors="replace"))
                    break
    return found


def used_module_sources(text: str, search: list[Path], seen: set[str] | None = None) -> list[Path]:
    """Sources of the modules a file USEs but does not define, found as MODULE.f90 (or .f,
    .F90) in the file's directory or an -I directory; their own USEs first."""
    seen = set() if seen is None else seen
    lower = text.lower()
    defined = set(re.findall(r"(?m)^\s*module\s+(?!procedure\b)(\w+)", lower))
    ordered: list[Path] = []
    for module in re.findall(r"(?m)^\s*use\b(?:\s*,\s*(?:non_)?intrinsic\s*::|\s*::)?\s*(\w+)", lower):
        if module in seen or module in defined or module in _INTRINSIC_MODULES:
            continue
        seen.add(module)
        found = module_file(module, search)
        if found is not None:
            ordered += used_module_sources(found.read_text(errors="replace"), search, seen)
            ordered.append(found)
    return ordered


def _defining_file(name: str, directory: Path, source: Path, taken: list[Path]) -> Path | None:
    """A file of `directory` that defines `name` though not named after it (NPB's randdp.f holds
    randlc and vranlc); only for names the source CALLs or declares EXTERNAL."""
    pattern = re.compile(rf"(?im)^[^!\n]*?\b(?:subroutine|function)\s+{re.escape(name)}\b")
    directory = Path(directory)
    if not directory.is_dir():
        return None
    for candidate in sorted(directory.iterdir()):
        if candidate.suffix not in (".f", ".f90", ".F", ".F90", ".for") or not candidate.is_file():
            continue
        if candidate.resolve() == source.resolve() or candidate in taken:
            continue
        try:
            if pattern.search(candidate.read_text(errors="replace")):
                return candidate
        except OSError:
            continue
    return None


_FIXED_COMMENT = re.compile(r"(?im)^(?:[c*](?![a-z0-9_]).*|!.*)$")


def c_procedure_sources(texts: list[str], search: list[Path]) -> list[Path]:
    """C sources of subroutines the Fortran CALLs but no Fortran file defines (NPB's `call
    wtime(t)` implemented in wtime.c), found as NAME.c next to the source or in an -I directory.
    They are compiled with both sides and called through gfortran's convention (name_, arguments
    by address)."""
    lower = "\n".join(_FIXED_COMMENT.sub("", t.lower()) for t in texts)
    lower = re.sub(r"!.*", "", lower)
    defined = set(re.findall(r"(?m)^[^\n]*?(?:subroutine|function)\s+(\w+)", lower)) | {"lsame", "xerbla"}
    found: list[Path] = []
    for name in sorted(set(re.findall(r"\bcall\s+(\w+)", lower)) - defined):
        for directory in search:
            candidate = Path(directory) / f"{name}.c"
            if candidate.is_file():
                found.append(candidate)
                break
    return found


def c_headers(c_source: Path) -> list[Path]:
    """Headers a C source includes with quotes (`#include "wtime.h"`) that lie beside it: they
    are copied with it into the sandboxed build directory."""
    try:
        text = c_source.read_text(errors="replace")
    except OSError:
        return []
    names = re.findall(r'(?m)^\s*#\s*include\s*"([^"/\\]+)"', text)
    return [c_source.parent / n for n in dict.fromkeys(names) if (c_source.parent / n).is_file()]
