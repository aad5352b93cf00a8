"""Rule-based Fortran -> C++17 translator: the offline Solver.

    translate_source(text, filename, entry, include_dirs=()) -> RuleTranslation
    translate_file(path, entry=None, include_dirs=()) -> RuleTranslation

The output follows the verification engine's unit-mode calling convention (same function
name, flat column-major arrays as pointers, scalar intent(out)/(inout) as references), so
every translation can be verified.  Nothing raises for bad Fortran: parse errors and
constructs outside the supported subset come back as `Unsupported` entries naming the line
and construct, and `code` is then None so the caller can hand over to another solver.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Unsupported", "RuleTranslation", "translate_source", "translate_file"]


@dataclass
class Unsupported:
    line: int  # 1-based line in the source
    construct: str
    message: str

    def __str__(self) -> str:
        return f"unsupported construct (line {self.line}): {self.construct}: {self.message}"


@dataclass
class RuleTranslation:
    code: str | None  # C++17 source; None when anything unsupported was met
    unsupported: list[Unsupported] = field(default_factory=list)
    entry: str | None = None  # the procedure translated (None = whole file / program)
    notes: list[str] = field(default_factory=list)


def translate_source(text: str, filename: str = "<source>", entry: str | None = None,
                     include_dirs: tuple = ()) -> RuleTranslation:
    """include_dirs: where INCLUDE files and the sources of used modules (m.f90, m.f) are found."""
    from .driver import translate
    return translate(text, filename, entry, tuple(include_dirs))


def translate_file(path: Path, entry: str | None = None, include_dirs: tuple = ()) -> RuleTranslation:
    """As translate_source; the file's own directory is searched first, then include_dirs."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return RuleTranslation(code=None, unsupported=[Unsupported(1, "file", f"cannot read {path}: {exc.strerror}")],
                               entry=entry.lower() if entry else None)
    return translate_source(text, path.name, entry, (path.parent, *include_dirs))
