"""Which translations the editor offers, and whether each one can run here."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .units import CPP, CUDA, FORTRAN, PYTHON


@dataclass(frozen=True)
class Translation:
    source_language: str
    target: str  # the pipeline's target name
    title: str
    verify_pair: tuple[str, str]  # (source language, candidate language) in the verification engine
    unit_kinds: tuple[str, ...]  # which units it applies to
    solver: str | None = None  # None: the user's setting; "tvm": the TVM CPU solver (optional extra)


TRANSLATIONS = (
    Translation(FORTRAN, "cpp", "Translate to C++ and verify", (FORTRAN, CPP),
                ("subroutine", "function", "program", "procedure")),
    Translation(CPP, "cuda", "Translate to CUDA and verify", (CPP, CUDA), ("function",)),
    Translation(CUDA, "cpu", "Translate to CPU (OpenMP) and verify", (CUDA, CPP), ("kernel", "function")),
    Translation(CUDA, "cpu", "CPU equivalent, TVM-optimized (verify)", (CUDA, CPP), ("kernel", "function"),
                solver="tvm"),
    Translation(PYTHON, "jax", "Translate to JAX and verify", (PYTHON, PYTHON), ("nn.Module",)),
)


def translations_for(language: str) -> list[Translation]:
    return [t for t in TRANSLATIONS if t.source_language == language]


def translation_named(target: str, solver: str | None = None) -> Translation | None:
    return next((t for t in TRANSLATIONS if t.target == target and t.solver == solver), None)


@lru_cache(maxsize=None)
def unavailable_reason(translation: Translation) -> str | None:
    """None when the pair can run; otherwise why not, in words for the user.

    Cached: the answer depends on installed packages, which do not change while
    the server runs, and code-action listing must stay instant.
    """
    try:
        from transverify.translators import pipeline  # noqa: F401
    except ImportError:
        return "the translation pipeline (transverify.translators.pipeline) is not installed"
    from transverify.verify.pairs import available_pairs, find_pair

    if find_pair(*translation.verify_pair) is None:
        names = ", ".join(available_pairs()) or "none"
        return (f"{translation.source_language} -> {translation.target} is not supported yet: no verifier for "
                f"{translation.verify_pair[0]} -> {translation.verify_pair[1]} (available: {names})")
    if translation.solver == "tvm":
        from transverify.translators.tvm_cpu import INSTALL_HINT, available

        if not available():
            return INSTALL_HINT
    return None
