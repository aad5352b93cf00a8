"""Turn gcc / g++ / gfortran / nvcc messages into Diagnostics in the user's files.

Public functions:
  parse_compiler_output(text) -> list[Diagnostic]
      understands `file:line:col: error: msg`, `file:line: error: msg`, gfortran's
      multi-line form (`file:line:col:` + source excerpt + `Error: msg`), nvcc's
      `file(line): error: msg`, and linker errors (`undefined reference to ...`).
  remap(diagnostics, path_map, fallback=None) -> list[Diagnostic]
      rewrites paths of copied files back to the user's originals (path_map keys may be
      absolute paths or basenames); a diagnostic located in a generated harness file is
      moved to `fallback` (file, line) with its text kept and marked, so users never see
      harness paths.
"""

from __future__ import annotations

import os
import re

from .result import Diagnostic

# file:line:col: severity: message   (col and severity optional; gfortran ranges "12-15")
_GCC = re.compile(r"^(?P<file>[^:\s][^:]*?):(?P<line>\d+):(?:(?P<col>\d+)(?:-\d+)?:)?\s*"
                  r"(?P<sev>fatal error|error|warning|note|Error|Warning):\s*(?P<msg>.*)$")
# gfortran's location line, followed later by "Error: ..." / "Warning: ..."
_GFORTRAN_LOC = re.compile(r"^(?P<file>[^:\s][^:]*?):(?P<line>\d+):(?P<col>\d+)(?:-\d+)?:\s*$")
_GFORTRAN_MSG = re.compile(r"^(?P<sev>Fatal Error|Error|Warning|Note):\s*(?P<msg>.*)$")
# nvcc front end: file(line): error: message
_NVCC = re.compile(r"^(?P<file>[^\s(][^(]*)\((?P<line>\d+)\):\s*(?P<sev>error|warning|remark)[^:]*:\s*(?P<msg>.*)$")
_LINKER = re.compile(r"(undefined reference to|multiple definition of)\s+[`'‘](?P<sym>[^'’]+)['’]")
_SEVERITY = {"fatal error": "error", "error": "error", "warning": "warning", "note": "note", "remark": "note"}


def parse_compiler_output(text: str) -> list[Diagnostic]:
    """All diagnostics in one compiler's output, in order."""
    diagnostics: list[Diagnostic] = []
    pending_loc: tuple[str, int, int] | None = None
    for raw in text.splitlines():
        line = raw.rstrip()
        if pending_loc is not None:
            msg = _GFORTRAN_MSG.match(line.strip())
            if msg:
                file, lineno, col = pending_loc
                diagnostics.append(Diagnostic(file=file, line=lineno, column=col,
                                              severity=_sev(msg.group("sev")), message=msg.group("msg").strip()))
                pending_loc = None
                continue
            if _GFORTRAN_LOC.match(line) is None and not _GCC.match(line):
                continue  # the source excerpt between location and message
            pending_loc = None
        loc = _GFORTRAN_LOC.match(line)
        if loc:
            pending_loc = (loc.group("file"), int(loc.group("line")), int(loc.group("col")))
            continue
        match = _GCC.match(line) or _NVCC.match(line)
        if match:
            groups = match.groupdict()
            diagnostics.append(Diagnostic(file=groups["file"], line=int(groups["line"]),
                                          column=int(groups.get("col") or 1), severity=_sev(groups["sev"]),
                                          message=groups["msg"].strip()))
            continue
        link = _LINKER.search(line)
        if link:
            diagnostics.append(Diagnostic(file="", line=1, column=1, severity="error",
                                          message=f"linker: {link.group(1)} '{link.group('sym')}'"))
    return diagnostics


def _sev(word: str) -> str:
    return _SEVERITY.get(word.lower(), "error")


def remap(diagnostics: list[Diagnostic], path_map: dict[str, str],
          fallback: tuple[str, int] | None = None) -> list[Diagnostic]:
    """Point every diagnostic at a user file.

    `path_map` maps the paths the compiler saw (absolute, or basenames) to the user's
    paths. Diagnostics in other files (generated harness, system headers) are moved to
    `fallback` when given, else dropped; duplicates are removed.
    """
    by_base = {os.path.basename(k): v for k, v in path_map.items()}
    mapped: list[Diagnostic] = []
    seen: set[tuple] = set()
    for diag in diagnostics:
        target = path_map.get(diag.file) or by_base.get(os.path.basename(diag.file)) if diag.file else None
        if target is not None:
            new = Diagnostic(file=target, line=diag.line, column=diag.column, severity=diag.severity,
                             message=diag.message)
        elif fallback is not None:
            if diag.severity == "note":
                continue  # notes inside the harness explain harness code, not the user's
            new = Diagnostic(file=fallback[0], line=fallback[1], column=1, severity=diag.severity,
                             message=f"when called by the verification harness: {diag.message}"
                             if diag.file else diag.message)
        else:
            continue
        key = (new.file, new.line, new.column, new.severity, new.message)
        if key not in seen:
            seen.add(key)
            mapped.append(new)
    return mapped


def first_error(diagnostics: list[Diagnostic]) -> Diagnostic | None:
    return next((d for d in diagnostics if d.severity == "error"), None)
