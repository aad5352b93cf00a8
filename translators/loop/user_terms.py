"""Verification results in the user's terms.

The loop verifies each candidate from a private temporary folder, so the engine's
messages name paths like /tmp/transverify-loop-x1y2/saxpy.cpp.  The Solver, the
record store and the user should see the file the translation is for
(`saxpy.cpp`, line 13) instead; the source is named by its file name too, as the
record store never keeps a full path.
"""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

from ...verify.result import ERROR, NOT_EQUIVALENT, STAGE_COMPILE_CANDIDATE, Diagnostic, VerifyResult


def path_names(folder: Path, candidate_name: str, source: Path) -> list[tuple[str, str]]:
    """(written as, shown as) for every spelling of the candidate's and the source's paths,
    longest first so that a folder never replaces part of a file path."""
    pairs: dict[str, str] = {}
    for base in {str(folder), os.path.realpath(folder)}:
        pairs[os.path.join(base, candidate_name)] = candidate_name
        pairs[base + os.sep] = ""
        pairs[base] = "."
    for spelling in {str(source), os.path.abspath(source), os.path.realpath(source)}:
        if os.sep in spelling:
            pairs[spelling] = source.name
    return sorted(pairs.items(), key=lambda item: -len(item[0]))


def _swap(text: str | None, names: list[tuple[str, str]]) -> str | None:
    if not text:
        return text
    for written, shown in names:
        if written in text:
            text = text.replace(written, shown)
    return text


def localise(result: VerifyResult, names: list[tuple[str, str]]) -> VerifyResult:
    """A copy of `result` whose paths read as the user's file names."""
    diagnostics = [Diagnostic(file=_swap(d.file, names) or d.file, line=d.line, column=d.column,
                              severity=d.severity, message=_swap(d.message, names) or d.message)
                   for d in result.diagnostics]
    return dataclasses.replace(result, diagnostics=diagnostics, message=_swap(result.message, names) or "",
                               warnings=[_swap(w, names) or w for w in result.warnings],
                               harness=_swap(result.harness, names))


def without_directories(result: VerifyResult, file_names: list[str]) -> VerifyResult:
    """A copy of a result from elsewhere (the editor's own verification) where every path
    ending in one of `file_names` is cut down to the name, as the records and the Solver see it."""
    pattern = re.compile(r"(?:[A-Za-z]:)?[^\s:'\"`()\[\]]*[/\\](" + "|".join(re.escape(n) for n in file_names) + r")\b")

    def cut(text: str | None) -> str | None:
        return pattern.sub(r"\1", text) if text else text

    diagnostics = [Diagnostic(file=os.path.basename(d.file) if os.path.basename(d.file) in file_names else d.file,
                              line=d.line, column=d.column, severity=d.severity, message=cut(d.message) or d.message)
                   for d in result.diagnostics]
    return dataclasses.replace(result, diagnostics=diagnostics, message=cut(result.message) or "",
                               warnings=[cut(w) or w for w in result.warnings], harness=cut(result.harness))


def as_candidate_defect(result: VerifyResult, candidate_name: str) -> VerifyResult:
    """A unit translation that defines main() is the candidate's fault, like a wrong signature:
    the engine's `verify` command reports it as bad input (exit 2), the loop as `not_equivalent`
    at stage compile_candidate, so every defect of a candidate gets the same verdict."""
    if result.verdict != ERROR or "main()" not in result.message or not result.diagnostics:
        return result
    if not all(Path(d.file).name == candidate_name for d in result.diagnostics):
        return result
    return dataclasses.replace(result, verdict=NOT_EQUIVALENT, stage=STAGE_COMPILE_CANDIDATE)
