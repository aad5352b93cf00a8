"""Rule-based CUDA -> CPU (C++17 + OpenMP) translator: the offline Solver of the cuda->cpp pair.

    translate_source(text, filename, entry) -> RuleTranslation
    translate_file(path, entry) -> RuleTranslation

The whole file is translated: kernels become host functions whose blocks run in an
`omp parallel for` and whose threads run as loops split at every barrier; device memory
management becomes host memory management; the host functions keep their names and
signatures, so the unit-mode convention of the verifier holds.  Constructs outside the
supported subset come back as `Unsupported` entries naming line and construct, with
`code` None.
"""

from __future__ import annotations

from pathlib import Path

# The registry's result shapes: what every rule translator returns.
from ..registry import RuleDraft as RuleTranslation
from ..registry import Unsupported

__all__ = ["Unsupported", "RuleTranslation", "translate_source", "translate_file"]


def translate_source(text: str, filename: str = "<source>", entry: str | None = None) -> RuleTranslation:
    from .driver import translate
    return translate(text, filename)


def translate_file(path: Path, entry: str | None = None) -> RuleTranslation:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return RuleTranslation(code=None, unsupported=[Unsupported(None, "file", f"cannot read {path}: {exc}")])
    return translate_source(text, path.name, entry)
