"""Read a Fortran source file as the signature reader needs it: free form, INCLUDEs expanded.

Public API:
  read_source(path, include_dirs=()) -> SourceText

tree-sitter's Fortran grammar reads free form only: in a fixed-form file a `*` or `c` comment
in column 1, a `c-----` ruler, a continuation mark in column 6 or a statement label reads as
code, and whole procedures go missing. fparser's line reader knows the fixed-form rules
(comment columns, continuation, labels, `;`), so fixed-form files go through it and come out
as one free-form statement per line, each at the line number it starts on in the file:
diagnostics keep pointing at the user's lines. INCLUDE lines are expanded (searching the
source's own directory, then `include_dirs`); the included statements sit on the INCLUDE's
line. Free-form files without INCLUDE lines are returned as they are. Files whose suffix asks
for the C preprocessor (.F90, .F, ...) are read as gfortran reads them: preprocessed first
(fortran_preprocess.py).
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .errors import VerifyInputError
from .fortran_preprocess import needs_preprocessing, preprocess

FIXED_FORM_SUFFIXES = {".f", ".for", ".ftn", ".f77", ".fpp"}
_INCLUDE = re.compile(r"(?im)^[ \t]*include[ \t]*['\"]([^'\"]+)['\"]")
_LOCK = threading.Lock()  # fparser's readers keep module-level state


@dataclass
class SourceText:
    text: str  # what tree-sitter reads
    fixed_form: bool
    includes: dict[str, Path] = field(default_factory=dict)  # INCLUDE name as written -> the file found


def is_fixed_form(path: Path) -> bool:
    return path.suffix.lower() in FIXED_FORM_SUFFIXES or path.suffix in (".F", ".FOR")


def read_source(path: Path, include_dirs: tuple[Path, ...] | list[Path] = ()) -> SourceText:
    raw = path.read_bytes().decode("utf-8", "replace")
    preprocessed = needs_preprocessing(path.name)
    if preprocessed:  # .F90, .F, ...: what gfortran compiles is the C preprocessor's output
        raw = preprocess(raw, path.name, [path.parent, *map(Path, include_dirs)]).text
    fixed = is_fixed_form(path)
    if not fixed and not _INCLUDE.search(raw):
        return SourceText(text=raw, fixed_form=False)
    search = [str(path.parent.resolve())] + [str(Path(d).resolve()) for d in include_dirs]
    _check_includes(path, raw, search)
    from fparser.common.readfortran import FortranFileReader, FortranStringReader

    with _LOCK:
        logging.getLogger("fparser").disabled = True  # it logs missing includes; we raise instead
        try:
            reader = (FortranStringReader(raw, ignore_comments=True, include_dirs=search) if preprocessed else
                      FortranFileReader(str(path), ignore_comments=True, include_dirs=search))
            reader.set_format(_format(fixed))
            lines = _place(reader, raw.count("\n") + 1, _include_lines(path, raw))
        except Exception as exc:  # fparser's reader raises a few kinds on malformed input
            raise VerifyInputError(f"the source could not be read as {'fixed' if fixed else 'free'}-form Fortran: "
                                   f"{exc.__class__.__name__}: {exc}", file=str(path), line=1,
                                   construct="source form") from None
    return SourceText(text="\n".join(lines) + "\n", fixed_form=fixed, includes=_found_includes(raw, search))


def _format(fixed: bool):
    from fparser.common.sourceinfo import FortranFormat

    return FortranFormat(not fixed, False)


def _place(reader, count: int, include_lines: list[int]) -> list[str]:
    """One slot per line of the file; each statement goes to the line it starts on."""
    lines = [""] * count
    last_own, target_include, in_include = 0, 1, False
    for item in reader:
        line_text = getattr(item, "line", None)
        if line_text is None:  # a comment or a blank block
            continue
        own = getattr(item, "reader", reader) is reader
        if own:
            target = item.span[0]
            last_own, in_include = target, False
        else:  # an INCLUDEd statement: on the INCLUDE's line, after what is there
            if not in_include:
                later = [n for n in include_lines if n > last_own]
                target_include = later[0] if later else last_own + 1
                in_include = True
            target = target_include
        statement = (f"{item.label} " if getattr(item, "label", None) and own else "") + line_text
        index = min(max(target, 1), count) - 1
        lines[index] = f"{lines[index]}; {statement}" if lines[index] else statement
    return lines


def _include_statements(path: Path, raw: str):
    for number, line in enumerate(raw.splitlines(), 1):
        if is_fixed_form(path) and line[:1] in ("c", "C", "*", "!"):
            continue
        match = _INCLUDE.match(line)
        if match:
            yield number, match.group(1)


def _include_lines(path: Path, raw: str) -> list[int]:
    return [number for number, _ in _include_statements(path, raw)]


def _check_includes(path: Path, raw: str, search: list[str]) -> None:
    for number, name in _include_statements(path, raw):
        if not any((Path(d) / name).is_file() for d in search):
            raise VerifyInputError(f"INCLUDE '{name}' not found (searched {', '.join(search)}); add its "
                                   "directory with -I DIR", file=str(path), line=number, construct="INCLUDE")


def _found_includes(raw: str, search: list[str], found: dict[str, Path] | None = None) -> dict[str, Path]:
    """INCLUDE files, and those they include in turn (NPB's globals.h reads npbparams.h)."""
    found = {} if found is None else found
    for name in _INCLUDE.findall(raw):
        if name in found:
            continue
        for d in search:
            candidate = Path(d) / name
            if candidate.is_file():
                found[name] = candidate
                try:
                    _found_includes(candidate.read_text(errors="replace"), search, found)
                except OSError:
                    pass
                break
    return found
