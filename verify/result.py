"""The structured outcome of one verification.

This is the contract shared by the CLI (`--json`), the language server and the
translation loop: all of them consume a VerifyResult and nothing else.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

EQUIVALENT = "equivalent"
NOT_EQUIVALENT = "not_equivalent"
ERROR = "error"

# Stages, in the order a verification passes through them.
STAGE_PARSE = "parse"
STAGE_COMPILE_SOURCE = "compile_source"
STAGE_COMPILE_CANDIDATE = "compile_candidate"
STAGE_RUN = "run"
STAGE_COMPARE = "compare"
STAGES = (STAGE_PARSE, STAGE_COMPILE_SOURCE, STAGE_COMPILE_CANDIDATE, STAGE_RUN, STAGE_COMPARE)

EXIT_CODES = {EQUIVALENT: 0, NOT_EQUIVALENT: 1, ERROR: 2}


@dataclass
class Diagnostic:
    """A compiler or runtime message, located in one of the user's files."""

    file: str
    line: int
    column: int
    severity: str  # "error" | "warning" | "note"
    message: str


@dataclass
class Mismatch:
    """One output element that differs between reference and candidate.

    `output` names the argument, "result", "stdout" or "exit_status"; `index` is
    the Fortran-style subscript (e.g. "(3,2)") or the flat index, or the token
    position for stdout; `case` is the 0-based generated case.
    """

    output: str
    case: int
    index: str | int | None
    expected: Any
    actual: Any
    abs_err: float | None = None
    rel_err: float | None = None


@dataclass
class VerifyResult:
    verdict: str
    stage: str | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    mismatches: list[Mismatch] = field(default_factory=list)
    cases: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    # Beyond the contract: context that editors and the loop show to people.
    message: str = ""
    pair: str | None = None
    mode: str | None = None  # "unit" | "program"
    entry: str | None = None
    execution: str | None = None  # "native", "gpu: <name>", "cpu-emulated"
    warnings: list[str] = field(default_factory=list)
    harness: str | None = None  # generated harness source, kept for training records
    inputs: list[dict[str, Any]] = field(default_factory=list)  # per-case summary of generated inputs
    tools: dict[str, str] = field(default_factory=dict)  # tool versions used
    # How candidates were isolated: {"kind": "bwrap"|"unshare"|"none", "isolation": "strong"|"weak",
    # "note": what that means} (verify.sandbox.isolation_report); empty when nothing ran.
    sandbox: dict[str, str] = field(default_factory=dict)
    # Value domains the inputs were drawn from: {name, lo, hi, source: flag|comment|inferred, reason}
    domains: list[dict[str, Any]] = field(default_factory=list)
    # With --coverage: {lines, branches (percent), lines_total, branches_total, rounds,
    # untaken: [{line, executed, taken, total, text}]}
    coverage: dict[str, Any] | None = None
    # With VerifyOptions.reproducer: {"directory", "case", "command"} of the reproducer written.
    reproducer: dict[str, Any] | None = None
    # Where outputs differ, the first named part of the model that already differs (PyTorch ->
    # JAX: {submodule, type, case, index, expected, actual} or {submodule, type, case, problem}).
    first_difference: dict[str, Any] | None = None

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.verdict]

    @property
    def ok(self) -> bool:
        return self.verdict == EQUIVALENT

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(_strict(self.to_dict()), default=str, allow_nan=False, **kwargs)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "VerifyResult":
        data = dict(data)
        data["diagnostics"] = [Diagnostic(**d) for d in data.get("diagnostics", [])]
        data["mismatches"] = [Mismatch(**m) for m in data.get("mismatches", [])]
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})


def _strict(value: Any) -> Any:
    """NaN and infinities become strings ("nan", "inf", "-inf"): strict JSON has none."""
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return repr(value)
    if isinstance(value, dict):
        return {k: _strict(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_strict(v) for v in value]
    return value
