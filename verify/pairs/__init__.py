"""Language pairs are plug-ins: each knows how to verify a candidate in one
target language against a source in another.  A pair registers itself here;
the engine picks it from the two files' languages."""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..options import VerifyOptions
    from ..result import VerifyResult

_REGISTRY: dict[tuple[str, str], "Pair"] = {}


class Pair(ABC):
    name: str  # e.g. "fortran->cpp"
    source_language: str
    candidate_language: str

    @abstractmethod
    def verify(self, source: Path, candidate: Path, options: "VerifyOptions") -> "VerifyResult":
        """Compile, run and compare; raise VerifyInputError for bad input."""


def register(pair: Pair) -> Pair:
    _REGISTRY[(pair.source_language, pair.candidate_language)] = pair
    return pair


def find_pair(source_language: str, candidate_language: str) -> Pair | None:
    _load_builtin_pairs()
    return _REGISTRY.get((source_language, candidate_language))


def available_pairs() -> list[str]:
    _load_builtin_pairs()
    return sorted(pair.name for pair in _REGISTRY.values())


def _load_builtin_pairs() -> None:
    # Imported lazily: each pair pulls in its own parsers and toolchains.
    import importlib

    for module in ("fortran_cpp", "cuda"):
        try:
            importlib.import_module(f"{__name__}.{module}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{module}":
                raise
