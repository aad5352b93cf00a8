"""The Questioner: turn a verification result into targeted questions for the Solver.

`rules` mode analyses diagnostics and mismatches deterministically: it quotes
each compiler message with the candidate line it points at, and for wrong
outputs names the output, case, index, expected and actual values and a
hypothesis tested against the numbers (off-by-one shift, transposed
row/column-major access, truncating integer division, missing initialisation,
sign, precision).  Its digest is also what the `llm` Questioner is shown.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from ...verify.result import Mismatch, VerifyResult

MAX_DIAGNOSTICS = 5
MAX_OUTPUTS = 4


@dataclass
class Questions:
    text: str  # what the Solver is asked
    digest: str  # the pre-digested feedback (also stored as a fix record's error context)
    mode: str = "rules"
    model: str | None = None
    seconds: float | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    kind: str = "feedback"  # feedback | no_code
    preface: str = ""  # said right after the headline (a repeated answer, the same failure again)


def _candidate_line(candidate: str, line: int | None) -> str | None:
    lines = candidate.splitlines()
    if line and 1 <= line <= len(lines):
        return lines[line - 1].strip()
    return None


COMPILER_HINTS = [
    (r"was not declared in this scope|undeclared identifier", "Declare it, or is it a Fortran intrinsic or "
     "variable that needs a C++ equivalent (std::abs, std::sqrt, a loop index)?"),
    (r"expected ['‘]?[;,)]", "Check the syntax just before this point (a missing ';' or ')')."),
    (r"invalid conversion|cannot convert|no matching function", "Check the parameter types against the calling "
     "convention (pointer vs reference vs value, float vs double)."),
    (r"assignment of read-only|discards qualifiers", "You write through a const parameter: is that argument "
     "intent(out)/inout in the source?"),
    (r"undefined reference", "Is the entry function defined with exactly the expected name?"),
    (r"redefinition|conflicting declaration", "A name is defined twice."),
    (r"\bmain\b", "A unit translation must not define main()."),
]


def _compile_questions(result: VerifyResult, candidate: str) -> list[str]:
    points = []
    # The engine's own checks (signature, entry name, main()) speak too: only quote "the compiler" for its words.
    speaker = "the compiler says" if "does not compile" in result.message else "the verifier says"
    diagnostics = [d for d in result.diagnostics if d.severity == "error"] or list(result.diagnostics)
    for diag in diagnostics[:MAX_DIAGNOSTICS]:
        quoted = _candidate_line(candidate, diag.line)
        where = f"Line {diag.line}" + (f", column {diag.column}" if diag.column else "")
        text = f"{where} of your translation"
        if quoted:
            text += f" (`{quoted}`)"
        text += f": {speaker} \"{diag.message}\"."
        for pattern, hint in COMPILER_HINTS:
            if re.search(pattern, diag.message, re.IGNORECASE):
                text += " " + hint
                break
        points.append(text)
    if len(diagnostics) > MAX_DIAGNOSTICS:
        points.append(f"... and {len(diagnostics) - MAX_DIAGNOSTICS} more error(s).")
    if not points:
        points.append(f"It does not compile: {result.message or 'no diagnostics were reported'}.")
    return points


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.replace("D", "E").replace("d", "e"))
        except ValueError:
            return None
    return None


def _subscript(index: Any) -> tuple[int, ...] | None:
    if isinstance(index, int):
        return (index,)
    if isinstance(index, str):
        parts = re.findall(r"-?\d+", index)
        if parts:
            return tuple(int(p) for p in parts)
    return None


def _is_nan(value: float | None) -> bool:
    return value is not None and math.isnan(value)


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return False
    return math.isclose(a, b, rel_tol=1e-4, abs_tol=1e-6)


def _hypotheses(items: list[Mismatch]) -> list[str]:
    """Explanations that the mismatching values themselves support."""
    found = []
    pairs = [(m, _number(m.expected), _number(m.actual)) for m in items]
    numeric = [(m, e, a) for m, e, a in pairs if e is not None and a is not None and not _is_nan(e) and not _is_nan(a)]
    by_case_index = {(m.case, _subscript(m.index)): e for m, e, _ in numeric}
    if numeric:
        # Values shifted by one position: actual at i equals expected at i-1 or i+1.
        for shift in (1, -1):
            hits = 0
            for m, _, actual in numeric:
                sub = _subscript(m.index)
                if sub:
                    neighbour = sub[:-1] + (sub[-1] + shift,) if len(sub) == 1 else (sub[0] + shift,) + sub[1:]
                    if _close(by_case_index.get((m.case, neighbour)), actual):
                        hits += 1
            if hits and hits >= max(1, len(numeric) // 3):
                found.append(f"values appear shifted by one position (actual at i equals expected at i{shift:+d}): "
                             "an off-by-one in the index or the loop bounds (Fortran is 1-based and inclusive)")
                break
        transposed = sum(1 for m, _, a in numeric if (s := _subscript(m.index)) and len(s) == 2
                         and _close(by_case_index.get((m.case, (s[1], s[0]))), a))
        if transposed and transposed >= max(1, len(numeric) // 3):
            found.append("actual (i,j) matches expected (j,i): row-major vs column-major stride; Fortran a(i,j) "
                         "of a(n,m) is a[(i-1) + (j-1)*n]")
        if all(a == 0 for _, _, a in numeric):
            found.append("every wrong value is 0: an output that is never written, or an accumulator/result "
                         "initialised but never updated")
        if all(_close(a, -e) and e != 0 for _, e, a in numeric):
            found.append("the signs are flipped: check a subtraction or sign() order")
        if all(a == math.trunc(a) and e != math.trunc(e) and abs(a - math.trunc(e)) <= 1 for _, e, a in numeric):
            found.append("the actual values are whole numbers where fractions are expected: integer division "
                         "or an int variable where the source uses real")
        rels = [abs(a - e) / abs(e) for _, e, a in numeric if e != 0]
        if rels and max(rels) < 1e-2:
            found.append(f"the differences are small (relative error up to {max(rels):.2g}): a precision issue "
                         "(float vs double, a real(8) literal, or summation order)")
        if len(numeric) >= 2:
            ratios = [a / e for _, e, a in numeric if e != 0]
            if ratios and all(_close(r, ratios[0]) for r in ratios) and not _close(ratios[0], 1.0) \
                    and not _close(ratios[0], -1.0) and ratios[0] != 0:
                found.append(f"actual / expected is constantly {ratios[0]:.4g}: a scale factor or a term counted "
                             "the wrong number of times")
    if any(_is_nan(_number(m.actual)) and not _is_nan(_number(m.expected)) for m in items):
        found.append("NaN results where numbers are expected: reading uninitialised memory or dividing by zero")
    return found


def _output_questions(result: VerifyResult) -> list[str]:
    by_output: dict[str, list[Mismatch]] = defaultdict(list)
    for m in result.mismatches:
        by_output[m.output].append(m)
    points = []
    for output, items in list(by_output.items())[:MAX_OUTPUTS]:
        first = items[0]
        where = f" at index {first.index}" if first.index not in (None, "") else ""
        label = {"stdout": "the printed output", "exit_status": "the exit status",
                 "result": "the function result"}.get(output, f"output `{output}`")
        text = (f"{label.capitalize() if label[0].islower() else label}{where} differs in case {first.case}: "
                f"expected {first.expected}, got {first.actual}")
        if len(items) > 1:
            others = ", ".join(str(m.index) for m in items[1:6] if m.index is not None)
            text += f" ({len(items)} reported mismatches" + (f"; also at {others}" if others else "") + ")"
        text += "."
        hypotheses = _hypotheses(items)
        if hypotheses:
            text += " Likely cause: " + "; or ".join(hypotheses) + "."
        else:
            text += (" Check this element's loop bounds, index arithmetic (1-based, column-major), "
                     "initialisation and integer vs real arithmetic.")
        points.append(text)
    if len(by_output) > MAX_OUTPUTS:
        points.append(f"Outputs {', '.join(list(by_output)[MAX_OUTPUTS:])} differ too.")
    return points


def _first_difference_question(found: dict) -> str:
    """Where the verifier localised the error (intermediate outputs of named submodules)."""
    text = (f"The first submodule whose output already differs is `{found.get('submodule')}` "
            f"({found.get('type')}) in case {found.get('case')}")
    if found.get("problem"):
        return text + f": {found['problem']}. The submodules before it agree; look there first."
    return (text + f": at {found.get('index')} expected {found.get('expected')}, got {found.get('actual')}. "
            "The submodules before it agree; look there first.")


def digest(result: VerifyResult, candidate: str) -> list[str]:
    """The findings as numbered-list items, most useful first."""
    if result.stage == "compile_candidate" or (result.diagnostics and not result.mismatches
                                               and result.stage not in ("run", "compare")):
        return _compile_questions(result, candidate)
    if result.mismatches:
        points = _output_questions(result)
        if result.first_difference:
            points.insert(0, _first_difference_question(result.first_difference))
        return points
    if result.stage == "run":
        points = [f"Your translation failed at run time: {result.message}."]
        points += [f"Line {d.line} (`{_candidate_line(candidate, d.line) or ''}`): {d.message}"
                   for d in result.diagnostics[:MAX_DIAGNOSTICS]]
        points.append("Check array indices against their bounds (Fortran is 1-based) and every loop's exit condition.")
        return points
    return [f"The verifier stopped at stage {result.stage or 'unknown'}: {result.message or 'no detail'}."]


def feedback_text(result: VerifyResult, candidate: str) -> str:
    points = digest(result, candidate)
    failing = _failing_procedure(result)
    if failing:
        points.insert(0, f"The file's procedures are verified one by one; `{failing}` is the first that fails "
                         "(the ones before it are equivalent).")
    return "\n".join(f"{i}. {point}" for i, point in enumerate(points, 1))


def _failing_procedure(result: VerifyResult) -> str | None:
    from ..whole_file import PROCEDURE_PREFIX

    if result.message.startswith(PROCEDURE_PREFIX):
        return result.message[len(PROCEDURE_PREFIX):].split(":", 1)[0]
    return None


def rules_questions(result: VerifyResult, candidate: str) -> Questions:
    text = feedback_text(result, candidate)
    return Questions(text=text, digest=text)


def no_code_questions(language: str, truncated_hint: bool = False, max_tokens: int | None = None) -> Questions:
    if truncated_hint and max_tokens:
        text = (f"1. Your reply was cut off at the length limit ({max_tokens} tokens) before the code was complete. "
                f"Reply again with the complete translation in one fenced ```{language} block and no prose; "
                "leave out comments that are not in the source.")
    elif truncated_hint:
        text = ("1. Your reply was cut off inside the code block. Reply again with the complete translation, "
                f"shorter prose, in one fenced ```{language} block.")
    else:
        text = (f"1. Your reply contained no {language} code block. Reply with the complete translation "
                f"in one fenced ```{language} block.")
    return Questions(text=text, digest=text, kind="no_code")


def numbered_source(code: str) -> str:
    return "\n".join(f"{i:4d}  {line}" for i, line in enumerate(code.splitlines(), 1))
