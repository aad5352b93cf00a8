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
    fast_math = False  # honours VerifyOptions.fast_math (builds its candidate with -ffast-math)

    @abstractmethod
    def verify(self, source: Path, candidate: Path, options: "VerifyOptions") -> "VerifyResult":
        """Compile, run and compare; raise VerifyInputError for bad input."""


def register(pair: Pair) -> Pair:
    _REGISTRY[(pair.source_language, pair.candidate_language)] = pair
    return pair


def find_pair(source_language: str, candidate_language: str) -> Pair | None:
    # Load pair modules one by one until one serves this combination: each pulls in its own
    # parsers and libraries, and a command-line verify should pay only for its own.
    for module in _BUILTIN_PAIRS:
        found = _REGISTRY.get((source_language, candidate_language))
        if found is not None:
            return found
        _load(module)
    return _REGISTRY.get((source_language, candidate_language))


def available_pairs() -> list[str]:
    _load_builtin_pairs()
    return sorted(pair.name for pair in _REGISTRY.values())


_BUILTIN_PAIRS = ("fortran_cpp", "cuda", "torch_jax")


def _load_builtin_pairs() -> None:
    for module in _BUILTIN_PAIRS:
        _load(module)


def _load(module: str) -> None:
    # Imported lazily: each pair pulls in its own parsers and toolchains.
    import importlib

    try:
        importlib.import_module(f"{__name__}.{module}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{module}":
            raise
