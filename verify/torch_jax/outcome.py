"""The trusted parent's verdict on one PyTorch -> JAX job: the reference's report and output
arrays against the candidate's output arrays.  Everything the candidate's process wrote is
read as untrusted data: it can fail a verification, never pass one."""

from __future__ import annotations

import math
import time

from .. import sandbox
from ..result import EQUIVALENT, ERROR, NOT_EQUIVALENT, Diagnostic, Mismatch, VerifyResult
from .compare_trees import compare, leaves

PAIR_NAME = "pytorch->jax"
MAX_MISMATCHES = 20
STAGES = ("compile_candidate", "run")


def result(verdict: str, stage: str | None, message: str, entry: str | None, mode: str, **fields) -> VerifyResult:
    return VerifyResult(verdict=verdict, stage=stage, message=message, pair=PAIR_NAME, mode=mode, entry=entry,
                        execution="cpu (torch reference, jax.jit candidate, separate processes)",
                        tools={"sandbox": sandbox.isolation_mode()}, **fields)


def _rename(text: str, names: dict[str, str]) -> str:
    for inside, outside in names.items():
        text = text.replace(inside, outside)
    return text


def _diagnostics(raw, names: dict[str, str]) -> list[Diagnostic]:
    out = []
    for d in raw if isinstance(raw, list) else []:
        if not (isinstance(d, dict) and isinstance(d.get("file"), str) and isinstance(d.get("message"), str)):
            continue
        line = d.get("line") if isinstance(d.get("line"), int) and d.get("line") > 0 else 1
        out.append(Diagnostic(names.get(d["file"], d["file"]), line, 1, "error", _rename(d["message"], names)[:2000]))
    return out


def _seconds(value) -> float:
    return round(float(value), 4) if isinstance(value, (int, float)) and math.isfinite(value) and value >= 0 else 0.0


def from_report(report: dict, entry: str, mode: str, names: dict, parse_time: float, **fields) -> VerifyResult:
    """A result from the reference's report alone (the source failed, or the reference's
    process did not finish)."""
    timings = {"parse": parse_time, **{k: _seconds(v) for k, v in (report.get("timings") or {}).items()}}
    warnings = list(report.get("sandbox_warnings", [])) + [_rename(str(w), names) for w in report.get("warnings", [])]
    return result(report.get("verdict", ERROR), report.get("stage"), _rename(str(report.get("message", "")), names),
                  entry, mode, diagnostics=_diagnostics(report.get("diagnostics"), names), timings=timings,
                  warnings=warnings, **fields)


def compare_job(report: dict, expected: dict, actual_report, actual: dict, outcome, options, entry: str,
                names: dict, parse_time: float) -> VerifyResult:
    mode = options.mode
    cases = report["cases"]
    actual_report = actual_report if isinstance(actual_report, dict) else {}
    reported = actual_report.get("cases") if isinstance(actual_report.get("cases"), dict) else {}
    x64 = bool(report.get("x64"))
    own_timings = report.get("timings") or {}
    their_timings = actual_report.get("timings") if isinstance(actual_report.get("timings"), dict) else {}
    timings = {"parse": parse_time, "compile_source": _seconds(own_timings.get("compile_source")),
               "run_source": _seconds(own_timings.get("run_source")),
               "compile_candidate": _seconds(their_timings.get("compile_candidate")),
               "run": round(_seconds(their_timings.get("run")) + _seconds(own_timings.get("run_source")), 4),
               "harness": round(_seconds(own_timings.get("harness")) + _seconds(their_timings.get("harness")), 4)}
    warnings = list(report.get("sandbox_warnings", [])) + [w for w in outcome.warnings
                                                            if w not in report.get("sandbox_warnings", [])]
    warnings += [_rename(str(w), names) for w in report.get("warnings", [])]
    fields = {"timings": timings, "warnings": warnings}

    def done(verdict, stage, message, **more) -> VerifyResult:
        made = result(verdict, stage, _rename(message, names), entry, mode, **fields, **more)
        if x64:
            made.tools["jax_enable_x64"] = "on (the reference uses 64-bit types)"
        return made

    failure = actual_report.get("failure")
    if isinstance(failure, dict):
        stage = failure.get("stage") if failure.get("stage") in STAGES else "run"
        case = failure.get("case") if isinstance(failure.get("case"), int) else None
        return done(NOT_EQUIVALENT, stage, str(failure.get("message", "the candidate fails"))[:2000],
                    diagnostics=_diagnostics(failure.get("diagnostics"), names),
                    cases=(case + 1) if case is not None else 0)

    now = time.monotonic()
    mismatches, problems, compared = [], [], []
    for number, case in enumerate(cases):
        record = reported.get(str(number))
        if not isinstance(record, dict):
            continue
        compared.append(number)
        if isinstance(record.get("problem"), str):
            problems.append(f"case {number} ({case['family']}): {record['problem'][:500]}")
            break
        found, trouble = compare(leaves(case["outputs"], expected), leaves(record.get("outputs"), actual),
                                 number, x64, options.rtol, options.atol)
        if case["changed"] and not trouble:
            more, more_trouble = compare(leaves(case["buffers"], expected), leaves(record.get("buffers"), actual),
                                         number, x64, options.rtol, options.atol, prefix="buffers")
            found, trouble = found + more, trouble + more_trouble
        if trouble:
            problems += [f"case {number} ({case['family']}): {p}" for p in trouble]
            break
        mismatches += found
    timings["compare"] = round(time.monotonic() - now, 4)
    fields["inputs"] = [cases[k]["summary"] for k in compared]
    fields["cases"] = len(compared)
    if problems:
        return done(NOT_EQUIVALENT, "compare", problems[0], mismatches=[])
    if mismatches:
        first = mismatches[0]
        family = cases[first["case"]]["family"]
        message = (f"outputs differ: {first['output']}{first['index']} in case {first['case']} ({family} inputs): "
                   f"expected {first['expected']}, got {first['actual']} ({first['count']} of {first['of']} "
                   f"elements differ)")
        kept = {f for f in Mismatch.__dataclass_fields__}
        return done(NOT_EQUIVALENT, "compare", message,
                    mismatches=[Mismatch(**{k: v for k, v in m.items() if k in kept})
                                for m in mismatches[:MAX_MISMATCHES]])
    missing = len(cases) - len(compared)
    if missing:
        families = {c["family"] for c in cases}
        covered = {cases[k]["family"] for k in compared}
        out_of_time = outcome.timed_out or actual_report.get("budget_spent") is True
        if not out_of_time or covered != families:
            why = ("ran out of time" if out_of_time
                   else f"ended ({outcome.describe_failure() if outcome.returncode else 'exit status 0'})")
            return done(NOT_EQUIVALENT, "run", f"the candidate's process {why} after {len(compared)} of "
                        f"{len(cases)} case(s)" + ("" if covered == families else
                                                    f"; no {', '.join(sorted(families - covered))} inputs ran"))
        warnings.append(f"time budget spent: {missing} case(s) not run")
    families = sorted({cases[k]["family"] for k in compared})
    return done(EQUIVALENT, "compare", f"equivalent on {len(compared)} case(s) ({', '.join(families)} inputs, "
                f"{mode} mode)", mismatches=[])
