"""Human-readable reports of verification results (rich)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .verify.result import EQUIVALENT, NOT_EQUIVALENT, VerifyResult

MAX_ROWS = 10


def print_result(result: VerifyResult, source: Path, candidate: Path, console: Console | None = None) -> None:
    console = console or Console(highlight=False)
    if result.verdict == EQUIVALENT:
        console.print(f"[bold green]equivalent[/]: {candidate} matches {source} on {result.cases} case(s)"
                      + (f" ({result.mode} mode, entry {result.entry})" if result.entry else f" ({result.mode} mode)"))
    elif result.verdict == NOT_EQUIVALENT:
        console.print(f"[bold red]not equivalent[/] (stage {result.stage}): {result.message}")
    else:
        console.print(f"[bold yellow]error[/] (stage {result.stage}): {result.message}")
    _print_strength(result, console)
    for diag in result.diagnostics[:MAX_ROWS]:
        colour = {"error": "red", "warning": "yellow"}.get(diag.severity, "cyan")
        console.print(f"  {diag.file}:{diag.line}:{diag.column}: [{colour}]{diag.severity}[/]: {diag.message}")
    if result.mismatches:
        table = Table(title="first mismatches", show_lines=False)
        for column in ("output", "case", "index", "expected", "actual", "abs_err", "rel_err"):
            table.add_column(column)
        for m in result.mismatches[:MAX_ROWS]:
            table.add_row(m.output, str(m.case), "" if m.index is None else str(m.index), _value(m.expected),
                          _value(m.actual),
                          _fmt(m.abs_err), _fmt(m.rel_err))
        console.print(table)
    if result.reproducer:
        console.print(f"reproducer of case {result.reproducer['case']} written to {escape(result.reproducer['directory'])}"
                      f": run {escape(result.reproducer['command'])}")
    for warning in result.warnings:
        if not warning.startswith("Traceback"):
            console.print(f"[yellow]warning[/]: {warning}")
    if result.timings:
        console.print("timings: " + ", ".join(f"{k} {v:.3f}s" for k, v in result.timings.items()),
                      style="dim")


def _print_strength(result: VerifyResult, console: Console) -> None:
    """What the inputs were drawn from, and how much of the source they ran."""
    for domain in result.domains:
        console.print(f"  input {domain['name']} drawn from [{domain['lo']}, {domain['hi']}] ({domain['source']}: "
                      f"{escape(domain['reason'])})", style="dim")
    coverage = result.coverage
    if not coverage:
        return
    if result.verdict == EQUIVALENT:
        what = (f"{coverage['branches']:g}% of the source's branches taken" if coverage["branches_total"]
                else f"{coverage['lines']:g}% of the source's lines run")
        console.print(f"verified on {result.cases} cases; {what} ({coverage['lines']:g}% of its lines, "
                      f"{coverage['rounds']} round(s) of cases)")
    for item in coverage["untaken"][:MAX_ROWS]:
        state = (f"{item['taken']} of {item['total']} branches taken" if item["executed"] else "never run")
        console.print(f"  line {item['line']}: {state}: {escape(item['text'])}", style="yellow")


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.3g}"


def _value(value) -> str:
    """Enough digits to see the difference, few enough to fit the table."""
    if isinstance(value, float):
        return f"{value:.9g}"
    return str(value)
