"""Verify a translation of a whole file, not just one procedure.

The engine checks one entry procedure per call and asks for --entry when a
Fortran file holds several (a module of procedures).  A translation of the
whole file is equivalent only if every procedure is, so without an entry each
one is verified in turn; the first that fails decides the result.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ..verify import VerifyOptions, verify
from ..verify.languages import language_of
from ..verify.result import EQUIVALENT, VerifyResult

PROCEDURE_PREFIX = "procedure "  # failing results of a whole-file check start with it


def procedures_to_verify(source: Path, entry: str | None) -> list[str | None]:
    """The entries to verify: [entry] when given or when the engine can choose alone."""
    if entry or language_of(source) != "fortran":
        return [entry]
    try:
        from ..verify.fortran_signature import parse_fortran

        parsed = parse_fortran(source)
    except Exception:  # unreadable here: the engine reports it properly
        return [None]
    if parsed.has_program or len(parsed.procedures) < 2:
        return [None]
    return [procedure.name for procedure in parsed.procedures]


def verify_translation(source: Path, candidate: Path, options: VerifyOptions) -> VerifyResult:
    entries = procedures_to_verify(source, options.entry)
    if len(entries) == 1:
        return verify(source, candidate, dataclasses.replace(options, entry=entries[0]))
    results = []
    for name in entries:
        options.report(f"verifying {name}")
        result = verify(source, candidate, dataclasses.replace(options, entry=name))
        if result.verdict != EQUIVALENT:
            result.message = f"{PROCEDURE_PREFIX}{name}: {result.message}"
            return result
        results.append(result)
    return _combined(results, entries)


def _combined(results: list[VerifyResult], entries: list[str | None]) -> VerifyResult:
    timings: dict[str, float] = {}
    for result in results:
        for key, value in result.timings.items():
            timings[key] = round(timings.get(key, 0.0) + value, 4)
    first = results[0]
    names = ", ".join(str(n) for n in entries)
    return dataclasses.replace(
        first, cases=sum(r.cases for r in results), timings=timings, entry=names,
        message=f"all {len(results)} procedures equivalent ({names})",
        warnings=[w for r in results for w in r.warnings],
        harness="\n\n".join(r.harness for r in results if r.harness) or None,
        inputs=[i for r in results for i in r.inputs])
