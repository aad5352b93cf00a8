"""Rule-based C++ -> CUDA translator: the offline Solver of the cpp->cuda pair.

    translate_file(path, entry, shapes, values) -> RuleTranslation

For the entry host function (the verifier's unit-mode convention) every loop nest that
dependence analysis proves parallel becomes a `__global__` kernel (1-D or 2-D grid-stride
loops; recognised reductions get a shared-memory tree reduction per block plus a final
pass); the host function of the same name and parameter types allocates device memory,
copies inputs in and outputs out, launches, checks errors and synchronises.  Loops with a
carried dependence stay on the host, with the reason in a comment and in `notes`.
"""

from __future__ import annotations

from pathlib import Path

# The registry's result shapes: what every rule translator returns.
from ..registry import RuleDraft as RuleTranslation
from ..registry import Unsupported

__all__ = ["Unsupported", "RuleTranslation", "translate_file"]


def translate_file(path: Path, entry: str | None = None, shapes: dict[str, str] | None = None,
                   values: dict[str, str] | None = None) -> RuleTranslation:
    from .driver import translate
    return translate(Path(path), entry, shapes or {}, values or {})
