"""Helpers of the Fortran -> C++ pair that need no verification state: fixed-form quirks of a
copied source, which procedure each dummy procedure receives, and the candidate's build flags."""

from __future__ import annotations

import re
from pathlib import Path

from .. import sandbox
from ..errors import VerifyInputError
from ..fortran_signature import FortranFile, Procedure


def runs_past_column_72(path: Path) -> bool:
    """A fixed-form statement line with code beyond column 72 whose parentheses balance only when
    read whole: written for a longer line (gfortran would cut it), not a card sequence number."""
    if path.suffix.lower() not in (".f", ".for", ".f77", ".h", ".inc", ".incl", ".fh"):
        return False
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return False
    for line in lines:
        if len(line) <= 72 or line[:1] in "cC*!" or not line[72:].strip():
            continue
        head = line[:72]
        if head.count("(") != head.count(")") and line.count("(") == line.count(")"):
            return True
    return False


def blank_lines(path: Path, first: int, last: int) -> None:
    """Empty lines first..last of a copied source, keeping every other line where it was."""
    lines = path.read_text(errors="replace").split("\n")
    for index in range(max(first, 1) - 1, min(last, len(lines))):
        lines[index] = ""
    path.write_text("\n".join(lines))


def bind_procedures(ffile: FortranFile, proc: Procedure, chosen: dict[str, str], source: str) -> None:
    """Which procedure of the file each dummy procedure receives: --procedure ARG=NAME, or the
    file's only other procedure."""
    chosen = {k.lower(): v.lower() for k, v in chosen.items()}
    others = [p for p in ffile.procedures if p.name != proc.name]
    for arg in proc.args:
        if not arg.is_procedure:
            continue
        found = ", ".join(p.name for p in others) or "none"
        if arg.name in chosen:
            matches = [p for p in others if p.name == chosen[arg.name]]
            if not matches:
                raise VerifyInputError(f"--procedure {arg.name}={chosen[arg.name]}: no such procedure in the source "
                                       f"(found: {found})", file=source, line=arg.line, construct="--procedure")
        elif len(others) == 1:
            matches = others
        else:
            raise VerifyInputError(f"argument '{arg.name}' of '{proc.name}' is a dummy procedure: name the procedure "
                                   f"of this file to pass with --procedure {arg.name}=NAME (found: {found})",
                                   file=source, line=arg.line, construct=arg.name)
        actual = matches[0]
        if not isinstance(actual, Procedure):
            raise actual.error
        arg.actual = actual.name
        arg.actual_module = actual.module
        result = actual.result
        arg.actual_type = f"{result.base}({result.kind})" if result is not None else None


def candidate_procedures(proc: Procedure, cfile) -> dict[str, str] | str:
    """The candidate's function for each passed procedure (qualified), or why it is missing."""
    lower = {name.lower(): f for name, f in cfile.functions.items()}
    passed = {}
    for arg in proc.args:
        if arg.is_procedure:
            fn = lower.get(arg.actual)
            if fn is None:
                return (f"the candidate has no function '{arg.actual}', which the harness passes for dummy "
                        f"procedure '{arg.name}' of '{proc.name}' (translate it too)")
            passed[arg.actual] = fn.qualified
    return passed


OPENMP_USE = re.compile(r"#\s*pragma\s+omp\b|\bomp_\w+\s*\(|<omp\.h>")


def openmp_flags(text: str) -> list[str]:
    """-fopenmp when the candidate uses OpenMP (pragmas, runtime calls)."""
    return ["-fopenmp"] if OPENMP_USE.search(text) else []


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def stderr_tail(outcome: sandbox.RunOutcome) -> str:
    tail = outcome.stderr_text.strip()[-300:]
    return f"; stderr: {tail}" if tail else ""


def stopped_during(proc: Procedure, cases: list, data: bytes) -> str:
    """Where a driver that ended early stopped: the first case without outputs, when outputs tell."""
    from ..unit_inputs import read_outputs

    _, done = read_outputs(proc, cases, data)
    if done < len(cases):
        sizes = f" (sizes {cases[done].sizes})" if cases[done].sizes else ""
        return f"during generated case {done}{sizes}"
    return "during a generated case"


def called_procedures(ffile: FortranFile, proc: Procedure) -> list[Procedure]:
    """The procedures of the file that `proc` calls (`call name(` or `name(` in its text)."""
    return [other for other in ffile.procedures if isinstance(other, Procedure) and other is not proc
            and re.search(rf"\b{re.escape(other.name)}\s*\(", proc.body)]


def clock_outputs(ffile: FortranFile, proc: Procedure) -> dict[str, str]:
    """The entry's outputs that hold a clock reading (name -> why): left out of the comparison."""
    from ..clock_outputs import clock_fed

    texts = [ffile.text]
    for path in ffile.external_sources:
        try:
            texts.append(path.read_text(errors="replace"))
        except OSError:
            continue
    return clock_fed(proc.name, texts, ffile.c_sources)
