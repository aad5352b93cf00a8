"""A verification result, said the ways an editor shows it: diagnostics on the
translated file, a one-line code lens title, and the error context a fix record keeps."""

from __future__ import annotations

import os
from pathlib import Path

from lsprotocol import types

from .units import Unit

SOURCE = "transverify"


def lens_title(result, source: Path, source_line: int) -> str:
    where = f"{source.name}:{source_line}"
    if result.verdict == "equivalent":
        return f"verified against {where}, {result.cases} cases"
    if result.verdict == "not_equivalent":
        return f"not equivalent: {first_mismatch(result)}"
    return f"not verified: {short_message(result)}"


def first_mismatch(result) -> str:
    if not result.mismatches:
        return result.message or "outputs differ"
    return f"{element(result.mismatches[0])} differs"


def element(mismatch) -> str:
    """y(3) for a Fortran subscript, stdout[4] for a flat index or token position."""
    index = mismatch.index if mismatch.index is not None else ""
    if isinstance(index, int):
        index = f"[{index}]"
    return f"{mismatch.output}{index}"


def short_message(result) -> str:
    if result.message:
        return result.message.splitlines()[0][:160]
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if errors:
        return errors[0].message.splitlines()[0][:160]
    return f"verification failed at stage {result.stage or 'unknown'}"


def error_context(result) -> str:
    """What a human saw when they fixed the code: verdict, stage, messages, mismatches."""
    lines = [f"verdict: {result.verdict}", f"stage: {result.stage}"]
    if result.message:
        lines.append(f"message: {result.message}")
    for d in result.diagnostics[:20]:
        lines.append(f"{os.path.basename(d.file)}:{d.line}:{d.column}: {d.severity}: {d.message}")
    for m in result.mismatches[:20]:
        lines.append(f"mismatch {element(m)} case {m.case}: expected {m.expected!r}, got {m.actual!r}")
    return "\n".join(lines)


_SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
             "note": types.DiagnosticSeverity.Information}


def diagnostics_for(result, target: Path, unit: Unit | None, text_lines: list[str]) -> list[types.Diagnostic]:
    """Diagnostics on the translated file: compiler messages at their lines,
    mismatches and other failures on the translated function."""
    out: list[types.Diagnostic] = []
    if result.verdict == "equivalent":
        return out
    anchor = _line_range(unit.name_line if unit else 0, text_lines)
    for d in result.diagnostics:
        if not _same_file(d.file, target):
            continue
        line = max(0, d.line - 1)
        out.append(types.Diagnostic(range=_line_range(line, text_lines, max(0, d.column - 1)), message=d.message,
                                    severity=_SEVERITY.get(d.severity, types.DiagnosticSeverity.Error),
                                    source=SOURCE, code="compile" if result.stage and "compile" in result.stage
                                    else "input"))
    if result.verdict == "not_equivalent":
        for m in result.mismatches[:10]:
            detail = f"expected {m.expected!r}, got {m.actual!r} (case {m.case})"
            out.append(types.Diagnostic(range=anchor, message=f"not equivalent: {element(m)} differs: {detail}",
                                        severity=types.DiagnosticSeverity.Error, source=SOURCE, code="mismatch",
                                        data={"case": m.case}))
        if not result.mismatches and not out:  # a failed compile already speaks at its lines
            out.append(types.Diagnostic(range=anchor, message=f"not equivalent: {short_message(result)}",
                                        severity=types.DiagnosticSeverity.Error, source=SOURCE, code="mismatch"))
    elif not out:
        out.append(types.Diagnostic(range=anchor, message=f"not verified: {short_message(result)}",
                                    severity=types.DiagnosticSeverity.Error, source=SOURCE, code="error"))
    return out


def _same_file(reported: str, target: Path) -> bool:
    if not reported:
        return False
    try:
        if Path(reported).resolve() == target.resolve():
            return True
    except OSError:
        pass
    # Compilers run in a sandbox copy, so they may report only the base name.
    return os.path.basename(reported) == target.name


def _line_range(line: int, text_lines: list[str], column: int = 0) -> types.Range:
    line = min(line, max(0, len(text_lines) - 1))
    length = len(text_lines[line]) if line < len(text_lines) else 0
    column = min(column, length)
    return types.Range(start=types.Position(line=line, character=column),
                       end=types.Position(line=line, character=max(length, column)))
