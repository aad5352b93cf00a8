"""Generated cases the Fortran reference itself rejects.

Legacy routines state their preconditions in comments, not in code: LINPACK's dchex needs
k < l <= p, NPB's sprnvc needs nz <= n (otherwise it loops forever). A generated case that
breaks such a relation makes the reference crash, abort or hang, and says nothing about the
translation. So the reference runs first; a case it faults on is left out, a fresh case
(other sizes, another seed) takes its place, and the reference runs again; at most as many
fresh cases are drawn as were generated. The result names every case left out and the flags that pin inputs the routine
accepts (--value NAME=V, --shape NAME=EXPR).

Public API:
  run_accepted(pair, proc, cases, ref_dir, cand_dir, redraw) -> Accepted
      redraw(i) -> Case draws the i-th fresh case; Accepted.run is the reference's last run
      (returncode 0 unless no case was accepted), .cases/.inputs what it accepted,
      .dropped one line per case left out
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .. import sandbox
from ..unit_inputs import read_outputs, write_inputs
from .fortran_cpp_helpers import read_bytes

# The reruns stop when this many run time limits have been spent on them (see _Budget).
RERUN_BUDGET_LIMITS = 3.0


@dataclass
class Accepted:
    run: sandbox.RunOutcome
    cases: list
    inputs: bytes
    data: bytes
    dropped: list[str] = field(default_factory=list)

    def note(self) -> str:
        """A sentence for the result: what was left out and how to pin inputs instead."""
        if not self.dropped:
            return ""
        shown = "; ".join(self.dropped[:4]) + ("; ..." if len(self.dropped) > 4 else "")
        return (f"the reference faulted on {len(self.dropped)} generated case(s), left out as outside the "
                f"routine's preconditions ({shown}); pin inputs it accepts with --value NAME=V (and --shape "
                "NAME=EXPR for array extents) to test them")


def _describe(case, run: sandbox.RunOutcome) -> str:
    sizes = ", ".join(f"{k}={v}" for k, v in case.sizes.items())
    return f"sizes {sizes or 'none'}: {run.describe_failure()}"


def run_accepted(pair, proc, cases: list, ref_dir: Path, cand_dir: Path,
                 redraw: Callable[[int], object]) -> Accepted:
    dropped: list[str] = []
    fresh = 0
    generated = len(cases)
    budget = _Budget(pair.options.timeout)
    while True:
        inputs = _write(proc, cases, ref_dir, cand_dir)
        run = budget.run(pair, ref_dir)
        data = read_bytes(ref_dir / "outputs.bin")
        if run.returncode == 0 or run.cancelled:
            return Accepted(run, cases, inputs, data, dropped)
        # Which case faults is found by running them alone, each twice in a row: a write past an
        # array's end may corrupt the heap unnoticed until a later case allocates, and outputs
        # are buffered, so the case the output file stops at is only where the search starts.
        _, done = read_outputs(proc, cases, data)
        start = min(done, len(cases) - 1)
        bad, alone = None, run
        for index in [*range(start, len(cases)), *range(start - 1, -1, -1)]:
            _write(proc, [cases[index], cases[index]], ref_dir, cand_dir)
            alone = budget.run(pair, ref_dir)
            if alone.returncode != 0 or budget.spent_out:
                bad = index if alone.returncode != 0 else None
                break
        if bad is None:  # no case faults alone (or no time left to find it): nothing to leave out
            inputs = _write(proc, cases, ref_dir, cand_dir)
            return Accepted(run, cases, inputs, data, dropped)
        dropped.append(_describe(cases[bad], alone))
        rest = cases[:bad] + cases[bad + 1:]
        if fresh < generated:
            rest.append(redraw(fresh))
            fresh += 1
        if not rest or budget.spent_out:
            inputs = _write(proc, cases, ref_dir, cand_dir)
            return Accepted(alone, [cases[bad]], inputs, data, dropped)
        cases = rest


class _Budget:
    """Time the reruns may take. Hanging cases cost a whole run's time limit each: after the
    first one, runs get a quarter of it (accepted cases of a routine under test take
    milliseconds), and they stop when RERUN_BUDGET_LIMITS limits have been spent."""

    def __init__(self, limit: float):
        self.limit, self.timeout, self.spent = limit, limit, 0.0

    @property
    def spent_out(self) -> bool:
        return self.spent > RERUN_BUDGET_LIMITS * self.limit

    def run(self, pair, ref_dir: Path) -> sandbox.RunOutcome:
        previous = pair.options.timeout
        pair.options.timeout = self.timeout
        try:
            run = pair._run(ref_dir, ["./reference", "inputs.bin", "outputs.bin"], ["outputs.bin"])
        finally:
            pair.options.timeout = previous
        self.spent += self.timeout if run.timed_out else run.wall_time
        if run.timed_out:
            self.timeout = min(self.timeout, max(1.0, self.limit / 4))
        return run


def _write(proc, cases: list, ref_dir: Path, cand_dir: Path) -> bytes:
    inputs = write_inputs(proc, cases)
    for directory in (ref_dir, cand_dir):
        (directory / "inputs.bin").write_bytes(inputs)
        (directory / "inputs.bin").chmod(0o644)
    return inputs
