"""Find the translatable units of a corpus: files, and the procedures of multi-unit files.

A unit is one call of the translate pipeline: a source file plus, when the file holds
several procedures or host functions, the entry to translate and test.  Each unit gets a
content hash of its normalised text, so the same routine found twice (copies in several
folders, whitespace or comment differences) is translated once.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Iterator

from ...verify.errors import VerifyInputError
from ...verify.languages import language_of

# target -> the source languages it translates from (the pipeline's table, repeated here so
# that discovery does not import the whole pipeline in the driver)
SOURCE_LANGUAGES = {"cpp": ("fortran",), "cuda": ("cpp",), "cpu": ("cuda",), "jax": ("python",)}
SKIPPED_FOLDERS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "build"}


@dataclass(frozen=True)
class Unit:
    id: str  # content hash of (target, normalised source, entry): the dedup and resume key
    source_file: str  # as the dataset names it: relative to the corpus folder it was found in
    path: str  # where the worker reads it
    entry: str | None  # None: the whole file (a program, or a file with one unit)
    kind: str  # "subroutine" | "function" | "program" | "host function" | "file"
    language: str
    target: str

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Unit":
        return cls(**data)


@dataclass(frozen=True)
class Skipped:
    source_file: str
    reason: str


FIXED_FORM_SUFFIXES = {".f", ".for", ".f77", ".ftn"}


def normalised(text: str, language: str, fixed_form: bool = False) -> str:
    """The text with comments, blank lines and trailing spaces removed (Fortran: case too).

    Approximate on purpose (a `!` inside a string literal ends the line early): it only
    decides which units count as the same, never what is translated.
    """
    if language == "fortran":
        lines = []
        for line in text.splitlines():
            if fixed_form and line[:1] in ("c", "C", "*", "!"):
                continue  # a fixed-form comment line
            line = re.sub(r"!.*$", "", line)
            lines.append(line.rstrip().lower())
    elif language in ("cpp", "cuda"):
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        lines = [re.sub(r"//.*$", "", line).rstrip() for line in text.splitlines()]
    else:
        lines = [re.sub(r"(^|\s)#.*$", "", line).rstrip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line.strip())


def unit_id(target: str, text: str, language: str, entry: str | None, fixed_form: bool = False) -> str:
    digest = hashlib.sha256()
    for part in (target, language, (entry or "").lower(), normalised(text, language, fixed_form)):
        digest.update(part.encode("utf-8", "replace"))
        digest.update(b"\0")
    return digest.hexdigest()[:24]


def corpus_files(paths: Iterable[Path], target: str) -> Iterator[tuple[Path, str]]:
    """(file, its name in the dataset) under the given files and folders, in a stable order.

    Names are relative to the corpus folder (a file given directly keeps its base name), so
    the same corpus gives the same rows wherever it lies and whichever machine ran it."""
    wanted = SOURCE_LANGUAGES[target]
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                relative = found.relative_to(path)
                if found.is_file() and not (SKIPPED_FOLDERS & set(relative.parts[:-1])) \
                        and language_of(found) in wanted:
                    yield found, str(Path(path.resolve().name) / relative)
        elif path.is_file():
            if language_of(path) in wanted:
                yield path, path.name
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")


def discover(paths: Iterable[Path], target: str) -> tuple[list[Unit], list[Skipped], int]:
    """Units of the corpus, files that hold none (with why), and how many duplicates were dropped."""
    units: list[Unit] = []
    skipped: list[Skipped] = []
    seen: set[str] = set()
    duplicates = 0
    for path, name in corpus_files(paths, target):
        try:
            found = units_of_file(path, target, name)
        except (VerifyInputError, OSError, UnicodeDecodeError, ValueError) as exc:
            skipped.append(Skipped(name, f"cannot read: {exc}"))
            continue
        if not found:
            skipped.append(Skipped(name, "no translatable unit (no procedure, host function or program)"))
        for unit in found:
            if unit.id in seen:
                duplicates += 1
                continue
            seen.add(unit.id)
            units.append(unit)
    return units, skipped, duplicates


def units_of_file(path: Path, target: str, name: str | None = None) -> list[Unit]:
    language = language_of(path)
    text = path.read_text(encoding="utf-8")
    if language == "fortran":
        named = _fortran_units(path)
    elif language in ("cpp", "cuda"):
        named = _host_function_units(path, language)
    else:
        named = [(None, "file")]
    if len(named) == 1 and named[0][1] == "program":
        named = [(None, "program")]
    fixed_form = path.suffix.lower() in FIXED_FORM_SUFFIXES
    return [Unit(id=unit_id(target, text, language, entry, fixed_form), source_file=name or path.name,
                 path=str(path.resolve()), entry=entry, kind=kind,
                 language=language, target=target) for entry, kind in named]


def _fortran_units(path: Path) -> list[tuple[str | None, str]]:
    from ...verify.fortran_signature import parse_fortran

    parsed = parse_fortran(path)
    if parsed.has_program:
        return [(None, "program")]
    # A procedure outside the calling convention is still a unit: its rejection names why.
    return [(proc.name, getattr(proc, "kind", "procedure")) for proc in parsed.procedures]


def _host_function_units(path: Path, language: str) -> list[tuple[str | None, str]]:
    from ...verify.cuda.signature import read_source

    parsed = read_source(path, language)
    if parsed.has_main:
        return [(None, "program")]
    return [(fn.name, "host function") for fn in parsed.host_functions]
