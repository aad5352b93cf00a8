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

# Hanging cases cost a whole run's time limit each: after the first one, reruns get a quarter
# of it (accepted cases of a routine under test take milliseconds), and the reruns stop when
# this many limits have been spent on them.
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
    timeout = pair.options.timeout
    spent = 0.0
    while True:
        inputs = write_inputs(proc, cases)
        for directory in (ref_dir, cand_dir):
            (directory / "inputs.bin").write_bytes(inputs)
            (directory / "inputs.bin").chmod(0o644)
        run = _run(pair, ref_dir, timeout)
        data = read_bytes(ref_dir / "outputs.bin")
        if run.returncode == 0 or run.cancelled:
            return Accepted(run, cases, inputs, data, dropped)
        _, done = read_outputs(proc, cases, data)
        if done >= len(cases):  # every case finished: the fault is not a case's
            return Accepted(run, cases, inputs, data, dropped)
        dropped.append(_describe(cases[done], run))
        spent += run.wall_time if not run.timed_out else timeout
        if run.timed_out:
            timeout = min(timeout, max(1.0, pair.options.timeout / 4))
        rest = cases[:done] + cases[done + 1:]
        if fresh < generated:
            rest.append(redraw(fresh))
            fresh += 1
        if not rest or spent > RERUN_BUDGET_LIMITS * pair.options.timeout:
            return Accepted(run, cases, inputs, data, dropped)  # the cases of this last, failed run
        cases = rest


def _run(pair, ref_dir: Path, timeout: float) -> sandbox.RunOutcome:
    previous = pair.options.timeout
    pair.options.timeout = timeout
    try:
        return pair._run(ref_dir, ["./reference", "inputs.bin", "outputs.bin"], ["outputs.bin"])
    finally:
        pair.options.timeout = previous
