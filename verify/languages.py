"""Which language a file is written in, from its suffix."""

from __future__ import annotations

from pathlib import Path

FORTRAN = "fortran"
CPP = "cpp"
CUDA = "cuda"
PYTHON = "python"

_SUFFIXES = {
    ".f90": FORTRAN, ".f95": FORTRAN, ".f03": FORTRAN, ".f08": FORTRAN, ".f": FORTRAN, ".for": FORTRAN,
    ".cpp": CPP, ".cc": CPP, ".cxx": CPP, ".c++": CPP, ".hpp": CPP,
    ".cu": CUDA, ".cuh": CUDA,
    ".py": PYTHON,
}


def language_of(path: Path | str) -> str | None:
    suffix = Path(path).suffix
    return _SUFFIXES.get(suffix) or _SUFFIXES.get(suffix.lower())


def suffixes_of(language: str) -> list[str]:
    return [s for s, lang in _SUFFIXES.items() if lang == language]
