"""Translations by other solvers, offered beside `--solver auto`'s rule/LLM translation.

For a pair with entries in registry.ALTERNATIVES (CUDA -> CPU: the TVM CPU equivalent), once
auto's own translation is done, each alternative solver whose optional extra is installed
translates the same source in its quick form (TVM: the default schedule, never tuning),
verifies it and measures it (`offer_alternatives`). When `translate` writes its output (the
CLI), a verified alternative is written beside it (`k_cpu.cpp` -> `k_cpu_tvm.cpp`,
`write_alternatives`); an unverified one never is. The primary translation,
its file and the exit code are not changed: an alternative is an offer, reported in
TranslateOutcome.alternatives (JSON `alternatives`); why one was not made is said in `notes`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .output_file import OutputRefused, check_replaceable, write_text
from .registry import alternative_solvers, load_spec


@dataclass
class Alternative:
    solver: str  # "tvm"
    path: Path  # where it is (or would be) written
    written: bool
    verdict: str | None  # the verifier's verdict; None when nothing was translated
    exit_code: int  # as `translate --solver <solver>` would exit: 0 verified, 1 not verified, 2 not translated
    message: str
    code: str | None = None  # not in the JSON: the file holds it
    speedup: dict[str, float] = field(default_factory=dict)  # {"vs_serial", "vs_openmp", ...}
    ms: dict[str, float] = field(default_factory=dict)  # median run times of each version measured
    flags: dict[str, str] = field(default_factory=dict)  # version -> compiler flags it was timed with
    details: dict[str, Any] = field(default_factory=dict)  # the solver's own report (TVM: `tvm` of --solver tvm)

    def to_dict(self) -> dict:
        return {"solver": self.solver, "path": str(self.path), "written": self.written, "verdict": self.verdict,
                "exit_code": self.exit_code, "message": self.message, "speedup": self.speedup, "ms": self.ms,
                "flags": self.flags}


def alternative_path(output: Path, solver: str) -> Path:
    """k_cpu.cpp -> k_cpu_tvm.cpp"""
    output = Path(output)
    return output.with_name(f"{output.stem}_{solver}{output.suffix}")


def offer_alternatives(request, language: str, output: Path, options, primary) -> tuple[list[Alternative] | None,
                                                                                        list[str]]:
    """(the alternatives made, notes on those not made); (None, []) when not asked for or the pair has none."""
    solvers = alternative_solvers(language, request.target)
    if not solvers or not request.alternatives:
        return None, []
    offered: list[Alternative] = []
    notes: list[str] = []
    for solver, (function_spec, available_spec, hint_spec) in solvers.items():
        why_not = skip_reason(primary, cancelled=request.cancel is not None and request.cancel.is_set(),
                              continued=request.seed_candidate is not None)
        if why_not is None:
            why_not = missing_reason(available_spec, hint_spec, solver)
        if why_not is not None:
            notes.append(f"{solver}: not offered: {why_not}")
            continue
        if request.progress:
            request.progress(f"offering the {solver} translation beside this one")
        path = alternative_path(output, solver)
        try:
            fields = load_spec(function_spec)(request, path, options)
        except Exception as exc:  # noqa: BLE001 - an alternative must never cost the primary translation
            notes.append(f"{solver}: not offered: internal error: {exc.__class__.__name__}: {exc}")
            continue
        offered.append(_alternative(solver, path, fields))
    return offered, notes


def skip_reason(primary, cancelled: bool = False, continued: bool = False) -> str | None:
    """Why no alternative is made after this primary translation (TranslateOutcome), or None."""
    if cancelled:
        return "cancelled"
    if continued:
        return "the translation continued an editor's candidate"
    result = primary.result
    if result is not None and result.stage in ("parse", "compile_source"):
        return "the source itself cannot be verified"
    return None


def missing_reason(available_spec: str, hint_spec: str, solver: str) -> str | None:
    """None when the solver's optional extra is installed, else how to install it."""
    try:
        installed = load_spec(available_spec)()
    except (ImportError, AttributeError):
        installed = False
    if installed:
        return None
    try:
        return load_spec(hint_spec)
    except (ImportError, AttributeError):
        return f"the '{solver}' solver is not installed"


def unavailable_alternative(language: str, target: str, solver: str) -> str | None:
    """For callers that make an alternative their own way (the editor, in a background process):
    None when `solver` is an installed alternative of the pair, else why not, in words."""
    specs = alternative_solvers(language, target).get(solver)
    if specs is None:
        return f"{language} -> {target} has no '{solver}' alternative"
    return missing_reason(specs[1], specs[2], solver)


def _alternative(solver: str, path: Path, fields: dict) -> Alternative:
    result = fields.get("result")
    report = fields.get("tvm") or {}
    message = fields.get("message", "")
    unsupported = fields.get("unsupported") or []
    if unsupported and not message:
        message = "; ".join(u.describe() for u in unsupported)
    return Alternative(solver=solver, path=path, written=False, verdict=result.verdict if result else None,
                       exit_code=int(fields.get("exit_code", 2)), message=message, code=fields.get("code"),
                       speedup=dict(report.get("speedup") or {}), ms=dict(report.get("ms") or {}),
                       flags=dict(report.get("flags") or {}), details=dict(report))


SLOWER_THAN_NAIVE = 0.5  # below this speed-up over naive OpenMP an offer is not written


def clearly_slower(speedup: dict, least: float = SLOWER_THAN_NAIVE) -> str | None:
    """Why a verified alternative is not worth offering (its speed-up over the naive OpenMP
    translation below `least`), or None.  The margin keeps timing noise on a kernel of equal speed
    from deciding."""
    versus_openmp = speedup.get("vs_openmp")
    if isinstance(versus_openmp, (int, float)) and versus_openmp < least:
        return f"verified, but {versus_openmp:.2f}x the naive OpenMP translation (slower)"
    return None


def write_alternatives(alternatives: list[Alternative], notes: list[str]) -> None:
    """Write each verified alternative to its path (a refusal or failure goes to `notes`)."""
    for alternative in alternatives:
        if alternative.exit_code != 0 or alternative.code is None:
            continue
        slower = clearly_slower(alternative.speedup)
        if slower is not None:  # verified but clearly slower than the plain OpenMP translation: no file
            notes.append(f"{alternative.solver}: not written to {alternative.path}: {slower}")
            continue
        try:
            check_replaceable(alternative.path, unverified=False, force=False)
            _check_earlier_offer(alternative)
            write_text(alternative.path, alternative.code)
            alternative.written = True
        except OutputRefused as exc:
            notes.append(f"{alternative.solver}: not written: {exc}")
        except OSError as exc:
            notes.append(f"{alternative.solver}: {alternative.path}: cannot write: {exc.strerror or exc}")


def _check_earlier_offer(alternative: Alternative) -> None:
    """The user named the primary output, not this path: an existing file there is replaced only
    when it is an earlier offer of the same translation (same first line), never the user's own."""
    path = alternative.path
    if not path.exists():
        return
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            first = handle.readline().rstrip("\n")
    except OSError as exc:
        raise OutputRefused(f"{path}: cannot read the existing file: {exc.strerror or exc}") from None
    if first != alternative.code.split("\n", 1)[0]:
        raise OutputRefused(f"{path}: exists and is not an earlier {alternative.solver} translation of this kernel, "
                            "so it was not replaced (move it, or translate with --solver "
                            f"{alternative.solver} -o FILE)")
