"""A mismatch said as a small Markdown table: the first differing elements of one case
and that case's inputs (sizes, scalars, array types and lengths), truncated to stay readable
in a hover."""

from __future__ import annotations

from typing import Any

MAX_ROWS = 8
MAX_INPUTS = 12
MAX_CELL = 40


def cell(value: Any) -> str:
    """One table cell: short, no line breaks, no unescaped pipes."""
    if isinstance(value, float):
        text = f"{value:.9g}"
    elif value is None:
        text = ""
    else:
        text = str(value)
    text = " ".join(text.split())
    if len(text) > MAX_CELL:
        text = text[:MAX_CELL - 1] + "…"
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("`", "'")


def _error(mismatch) -> str:
    parts = []
    if mismatch.abs_err is not None:
        parts.append(f"{mismatch.abs_err:.3g}")
    if mismatch.rel_err is not None:
        parts.append(f"rel {mismatch.rel_err:.3g}")
    return ", ".join(parts)


def _index(mismatch) -> str:
    index = mismatch.index
    if index is None:
        return ""
    return f"[{index}]" if isinstance(index, int) else str(index)


def case_inputs(result, case: int) -> str:
    """`n = 16, a = 0.27, x: float32[16]` for the case, at most MAX_INPUTS entries."""
    if not isinstance(case, int) or not 0 <= case < len(result.inputs or []):
        return ""
    summary = result.inputs[case]
    if not isinstance(summary, dict):
        return ""
    parts = []
    for name, value in summary.items():
        if name == "sizes":
            continue
        if isinstance(value, str) and value.endswith("]") and "[" in value:
            parts.append(f"{name}: {cell(value)}")  # an array: its type and length
        else:
            parts.append(f"{name} = {cell(value)}")
    more = len(parts) - MAX_INPUTS
    text = ", ".join(parts[:MAX_INPUTS]) + (f", … ({more} more)" if more > 0 else "")
    return text


# Pairs whose verifier writes standalone reproducers (verify/reproducer.py and the modules it
# names), in every mode.
REPRODUCIBLE_PAIRS = ("fortran->cpp", "cpp->cuda", "cuda->cpp", "pytorch->jax")


def reproducible(result) -> bool:
    """Can verify write a standalone reproducer of this result's cases?"""
    return result.pair in REPRODUCIBLE_PAIRS


def mismatch_markdown(result, case: int | None) -> str:
    """The hover of a mismatch diagnostic: a table of the case's first differing elements, its inputs."""
    mismatches = [m for m in result.mismatches if case is None or m.case == case]
    if not mismatches:
        return ""
    case = mismatches[0].case
    sizes = {}
    if isinstance(case, int) and 0 <= case < len(result.inputs or []) and isinstance(result.inputs[case], dict):
        sizes = result.inputs[case].get("sizes") or {}
    where = f"case {case}" + (f" (sizes {', '.join(f'{k}={v}' for k, v in sizes.items())})" if sizes else "")
    lines = [f"**transverify: not equivalent on {where}**", "",
             "| element | expected | actual | error |", "|---|---|---|---|"]
    for m in mismatches[:MAX_ROWS]:
        lines.append(f"| {cell(m.output + _index(m))} | {cell(m.expected)} | {cell(m.actual)} | {cell(_error(m))} |")
    if len(mismatches) > MAX_ROWS:
        lines.append(f"| … {len(mismatches) - MAX_ROWS} more | | | |")
    inputs = case_inputs(result, case)
    if inputs:
        lines += ["", f"Inputs of case {case}: {inputs}"]
    if reproducible(result) and result.mode == "program":
        lines += ["", f"Quick fix *Write a reproducer of case {case}* puts copies of both programs and a "
                      "build-run-and-compare script in the workspace."]
    elif reproducible(result) and result.pair == "pytorch->jax":
        lines += ["", f"Quick fix *Write a reproducer of case {case}* puts this case's inputs and parameters "
                      "(npz) and a script that runs both sides and compares in the workspace."]
    elif reproducible(result):
        lines += ["", f"Quick fix *Write a reproducer of case {case}* puts the generated harness, this case's "
                      "inputs and a build-and-run script in the workspace."]
    return "\n".join(lines)
