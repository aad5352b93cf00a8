"""Which rule-based translators exist, per (source language, target).

Rules are the offline default Solver: Fortran -> C++, C++ -> CUDA, CUDA -> CPU
(OpenMP) and PyTorch -> JAX have rules; pairs without an entry here are translated by
the LLM loop alone.  Each rule translator is imported lazily and adapted to one shape,
RuleDraft.
"""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

# (source language, target) -> "module:function"
RULES: dict[tuple[str, str], str] = {
    ("fortran", "cpp"): "transverify.translators.fortran_cpp:translate_file",
    ("python", "jax"): "transverify.translators.torch_jax:translate_file",
    ("cuda", "cpu"): "transverify.translators.cuda_cpu:translate_file",
    ("cpp", "cuda"): "transverify.translators.cpp_cuda:translate_file",
}


# (source language, target) -> solvers whose translation `--solver auto` offers beside its own
# (translators/alternatives.py): solver -> ("module:function" that translates and verifies it,
# "module:function" that says whether its optional extra is installed, the extra's install hint).
ALTERNATIVES: dict[tuple[str, str], dict[str, tuple[str, str, str]]] = {
    ("cuda", "cpu"): {"tvm": ("transverify.translators.tvm_cpu.offer:offer",
                              "transverify.translators.tvm_cpu:available",
                              "transverify.translators.tvm_cpu:INSTALL_HINT")},
}


@dataclass
class Unsupported:
    line: int | None
    construct: str
    message: str

    def describe(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.construct}: {self.message}"


@dataclass
class RuleDraft:
    code: str | None  # None when the rules produced nothing usable
    unsupported: list[Unsupported] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # A more literal translation of the same source, verified only when `code` is not: rules that
    # recognise idioms boldly fall back on it instead of failing.
    fallback: "RuleDraft | None" = None


class RulesUnavailable(Exception):
    pass


def alternative_solvers(source_language: str, target: str) -> dict[str, tuple[str, str, str]]:
    return dict(ALTERNATIVES.get((source_language, target), {}))


def load_spec(spec: str) -> Any:
    """"module:name" -> the object (ImportError/AttributeError when it is not installed)."""
    module_name, _, name = spec.partition(":")
    return getattr(importlib.import_module(module_name), name)


def has_rules(source_language: str, target: str) -> bool:
    return (source_language, target) in RULES


def rule_translator(source_language: str, target: str) -> Callable[..., Any]:
    spec = RULES.get((source_language, target))
    if spec is None:
        raise RulesUnavailable(f"no rule-based translator for {source_language} -> {target}")
    module_name, _, function = spec.partition(":")
    try:
        module = importlib.import_module(module_name)
        return getattr(module, function)
    except (ImportError, AttributeError) as exc:
        raise RulesUnavailable(f"the rule-based translator {spec} is not installed ({exc})") from None


def _unsupported(item: Any) -> Unsupported:
    if isinstance(item, Unsupported):
        return item
    if isinstance(item, dict):
        return Unsupported(item.get("line"), str(item.get("construct", "construct")), str(item.get("message", "")))
    return Unsupported(getattr(item, "line", None), str(getattr(item, "construct", "construct")),
                       str(getattr(item, "message", item)))


def run_rules(source_language: str, target: str, source: Path, entry: str | None,
              shapes: dict[str, str] | None = None, values: dict[str, str] | None = None,
              include_dirs: list[Path] | None = None) -> RuleDraft:
    """Translate with the rules; the translator's own result object is adapted to RuleDraft.

    `shapes`/`values` (the verification's --shape/--value) reach translators that accept them:
    array extents decide, for example, how much device memory the C++ -> CUDA rules allocate.
    `include_dirs` (-I) reach translators that read INCLUDE files and other sources."""
    translate = rule_translator(source_language, target)
    accepted = inspect.signature(translate).parameters
    kwargs: dict[str, Any] = {}
    if "entry" in accepted:
        kwargs["entry"] = entry
    if "shapes" in accepted:
        kwargs["shapes"] = dict(shapes or {})
    if "values" in accepted:
        kwargs["values"] = dict(values or {})
    if "include_dirs" in accepted and include_dirs:
        kwargs["include_dirs"] = tuple(include_dirs)
    outcome = translate(source, **kwargs)
    if isinstance(outcome, str):
        return RuleDraft(code=outcome)
    code = getattr(outcome, "code", None)
    if code is None and isinstance(outcome, dict):
        code = outcome.get("code")
    items = getattr(outcome, "unsupported", None)
    if items is None and isinstance(outcome, dict):
        items = outcome.get("unsupported")
    notes = list(getattr(outcome, "notes", None) or getattr(outcome, "warnings", None) or [])
    fallback = getattr(outcome, "fallback", None)
    return RuleDraft(code=code or None, unsupported=[_unsupported(i) for i in items or []],
                     notes=[str(n) for n in notes],
                     fallback=fallback if isinstance(fallback, RuleDraft) and fallback.code else None)
