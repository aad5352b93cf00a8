"""The Fortran front end: fparser2 (Fortran 2008 grammar), comments kept.

Chosen over tree-sitter-fortran for exact semantics (operator precedence and
associativity as the standard defines them, intrinsic calls told apart from array
references, strict syntax errors with line numbers); see docs/translator.md.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

from fparser.common.readfortran import FortranStringReader
from fparser.two.parser import ParserFactory
from fparser.two.utils import FortranSyntaxError

from ...verify.fortran_kinds import SOURCE_SUFFIXES, source_named
from ...verify.fortran_kinds import module_file as find_module_source

_LOCK = threading.Lock()  # fparser's parser classes keep global state
_PARSER = None


class ParseError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def _parser():
    global _PARSER
    if _PARSER is None:
        _PARSER = ParserFactory().create(std="f2008")
    return _PARSER


def parse(text: str, include_dirs=()):
    """The parse tree; INCLUDE lines are read from include_dirs (in order). Fixed or free form
    is told from the text, as compilers do for .f/.f90 files."""
    with _LOCK:
        try:
            reader = FortranStringReader(text, ignore_comments=False,
                                         include_dirs=[str(d) for d in include_dirs] or None)
            tree = _parser()(reader)
        except FortranSyntaxError as exc:
            message = str(exc)
            match = re.search(r"at line (\d+)", message)
            line = int(match.group(1)) if match else 1
            detail = message.split(">>>", 1)[-1].strip() if ">>>" in message else message
            raise ParseError(line, f"Fortran syntax not understood: '{detail}'") from None
        except Exception as exc:  # fparser raises a few other kinds for malformed input
            raise ParseError(1, f"Fortran source could not be parsed: {exc.__class__.__name__}: {exc}") from None
    if tree is None:
        raise ParseError(1, "empty Fortran source")
    return tree


def module_file(name: str, include_dirs) -> Path | None:
    """The source of module `name` in the include directories: m.f90 (M.F90, m.f, ...), else a
    source there that defines it."""
    return find_module_source(name, include_dirs)


def c_procedure_file(name: str, include_dirs) -> Path | None:
    """A C source NAME.c implementing a procedure the Fortran calls (NPB's wtime.c)."""
    for directory in include_dirs:
        candidate = Path(directory) / f"{name.lower()}.c"
        if candidate.is_file():
            return candidate
    return None


_DEFINITION = r"(?im)^[^!\n]*?\b(?:subroutine|function)\s+{name}\b"


def procedure_file(name: str, include_dirs) -> Path | None:
    """The source defining procedure `name`: NAME.f (.f90, ...) or else the first Fortran file
    of the include directories that defines it (NPB keeps randlc and vranlc in randdp.f)."""
    found = source_named(name, include_dirs)
    if found is not None:
        return found
    pattern = re.compile(_DEFINITION.format(name=re.escape(name)))
    for directory in include_dirs:
        directory = Path(directory)
        if not directory.is_dir():
            continue
        for candidate in sorted(directory.iterdir()):
            if candidate.suffix in SOURCE_SUFFIXES and candidate.is_file():
                try:
                    if pattern.search(candidate.read_text(encoding="utf-8", errors="replace")):
                        return candidate
                except OSError:
                    continue
    return None
