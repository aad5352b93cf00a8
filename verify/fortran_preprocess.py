"""The C preprocessor for Fortran sources that ask for it (.F90, .F, ...), run as gfortran runs it.

Public API:
  needs_preprocessing(name) -> bool                          the suffix asks for cpp (gfortran's rule)
  preprocess(text, name, include_dirs=()) -> Preprocessed    `gfortran -E -cpp` in the sandbox
  included_files(text, search) -> {name: Path}               what its `#include` lines bring in

gfortran preprocesses files whose suffix is upper case (.F, .FOR, .FPP, .F90, .F95, .F03, .F08)
and .fpp; the reference is built that way, so the readers of such a file (the signature reader,
the rule translator) see what the compiler sees: `#ifdef` branches taken with gfortran's own
predefined macros, `#include` files expanded, macros replaced. Lines keep their numbers in the
file where cpp allows it (it blanks directive lines); lines that follow an `#include` shift, and
`Preprocessed.origin` says where each line came from. `#include` files are looked up next to
the file, then in the include directories, and copied into the sandbox (it hides other
directories); the preprocessor runs there with a time limit, since the input is untrusted.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .errors import VerifyInputError

_CPP_SUFFIXES = {".F", ".FOR", ".FTN", ".FPP", ".fpp", ".F90", ".F95", ".F03", ".F08"}
_INCLUDE = re.compile(r'(?m)^[ \t]*#[ \t]*include[ \t]*["<]([^">\n]+)[">]')
_MARKER = re.compile(r'^# (\d+) "((?:[^"\\]|\\.)*)"((?: \d)*)\s*$')
_WHERE = re.compile(r"(?m)^([^:\n]+):(\d+):(?:\d+:)?")
_MESSAGE = re.compile(r"(?mi)(?:fatal )?error: (.*)$")
PREPROCESS_TIMEOUT = 30.0
_WORK_NAME = "tv_preprocessed_source"


@dataclass
class Preprocessed:
    text: str
    # origin[i]: (file, line) of line i + 1 of text; file is the source's name or an #include's
    origin: list[tuple[str, int]] = field(default_factory=list)

    def line_in_source(self, line: int, name: str) -> int:
        """The source's own line for a line of the text: the #include line for included text."""
        if not self.origin:
            return line
        index = min(max(line, 1), len(self.origin)) - 1
        for file, number in reversed(self.origin[:index + 1]):
            if file == name:
                return number
        return 1


def needs_preprocessing(name: str) -> bool:
    return Path(name).suffix in _CPP_SUFFIXES


def preprocess(text: str, name: str, include_dirs=(), *, timeout: float = PREPROCESS_TIMEOUT) -> Preprocessed:
    """`gfortran -E -cpp` of `text` (the contents of file `name`); raises VerifyInputError
    naming the file and line when the preprocessor fails (a missing #include, an #error)."""
    from . import sandbox
    from .toolchain import compile_in_sandbox, find_tool

    display = Path(name).name
    suffix = Path(name).suffix
    search = [Path(d) for d in include_dirs]
    workdir = sandbox.make_workdir("transverify-cpp-")
    try:
        source = workdir / f"{_WORK_NAME}{suffix}"
        source.write_text(text, encoding="utf-8")
        _copy_includes(text, search, workdir)
        output = workdir / "preprocessed.txt"
        outcome = compile_in_sandbox([find_tool("gfortran"), "-E", "-cpp", source.name, "-o", output.name],
                                     workdir, output, timeout=timeout)
        if not outcome.ok:
            raise _failure(outcome.output, source.name, display, text)
        produced = output.read_text(encoding="utf-8", errors="replace")
    finally:
        sandbox.remove_workdir(workdir)
    return _renumbered(produced, source.name, display)


def included_files(text: str, search, found: dict[str, Path] | None = None) -> dict[str, Path]:
    """The files `#include` lines name (and those they include in turn), as {name as written:
    the file found in the search directories}; names that would leave a build directory are skipped."""
    found = {} if found is None else found
    for name in _INCLUDE.findall(text):
        if name in found or Path(name).is_absolute() or ".." in Path(name).parts:
            continue
        hit = next((Path(d) / name for d in search if (Path(d) / name).is_file()), None)
        if hit is None:
            continue
        found[name] = hit
        try:
            included_files(hit.read_text(encoding="utf-8", errors="replace"), search, found)
        except OSError:
            pass
    return found


def _copy_includes(text: str, search: list[Path], workdir: Path) -> None:
    for name, path in included_files(text, search).items():
        target = workdir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        target.chmod(0o644)


def _failure(output: str, work_name: str, display: str, text: str) -> VerifyInputError:
    """gfortran's report (`file:LINE:COL:` then `Fatal Error: MESSAGE` a few lines down) as an
    input error; a missing #include is placed on the directive that names it."""
    where = _WHERE.search(output)
    message = _MESSAGE.search(output)
    if where is None or message is None:
        return VerifyInputError(f"the C preprocessor (gfortran -cpp) failed: {output.strip()[-300:]}", file=display,
                                line=1, construct="preprocessor")
    file = display if Path(where.group(1)).name == work_name else Path(where.group(1)).name
    line, reason = int(where.group(2)), message.group(1).strip()
    construct = "preprocessor"
    missing = re.match(r"(.+?): No such file or directory", reason)
    if missing:
        construct = "#include"
        named = [n for n, m in enumerate(text.splitlines(), 1)
                 if _INCLUDE.match(m) and _INCLUDE.match(m).group(1) == missing.group(1)]
        if named and file == display:
            line = named[0]
        reason = f"#include file '{missing.group(1)}' not found next to the source or in an -I directory"
    elif re.match(r"#\w+", reason):
        construct = reason.split()[0]
    return VerifyInputError(f"the C preprocessor (gfortran -cpp) stopped: {reason}", file=file, line=line,
                            construct=construct)


def _renumbered(produced: str, work_name: str, display: str) -> Preprocessed:
    """The preprocessed text without line markers, the source's lines at their own numbers
    until included text pushes them down; `origin` records each line's file and line."""
    lines: list[str] = []
    origin: list[tuple[str, int]] = []
    file, number = display, 1
    for raw in produced.splitlines():
        marker = _MARKER.match(raw)
        if marker:
            file = Path(marker.group(2)).name
            file = display if file == work_name else file
            number = int(marker.group(1))
            continue
        if file.startswith("<"):  # <built-in>, <command-line>: nothing of the source
            number += 1
            continue
        if file == display:
            while len(lines) + 1 < number:  # lines cpp left out (a long blank run)
                lines.append("")
                origin.append((display, len(lines)))
        lines.append(raw)
        origin.append((file, number))
        number += 1
    return Preprocessed("\n".join(lines) + "\n", origin)
