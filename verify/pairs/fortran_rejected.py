"""Generated cases the Fortran reference itself rejects.

Legacy routines state their preconditions in comments, not in code: LINPACK's dchex needs
k < l <= p, NPB's sprnvc needs nz <= n (otherwise it loops forever). A generated case that
breaks such a relation makes the reference crash, abort or hang, and says nothing about the
translation. So when the reference fails, every case runs alone; a case it faults on is left
out and a fresh case (other sizes, another seed) takes its place, at most as many fresh cases
as were generated. Fewer than half of the cases accepted is an error: nothing to verify by. The result names every case left out and the flags that pin inputs the routine
accepts (--value NAME=V, --shape NAME=EXPR).

Public API:
  run_accepted(pair, proc, cases, ref_dir, cand_dir, redraw) -> Accepted
      redraw(i) -> Case draws the i-th fresh case; Accepted.run is the reference's last run
      (returncode 0 when enough cases were accepted), .cases/.inputs what it ran,
      .dropped one line per case left out, .note() the sentence for the result
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .. import sandbox
from ..unit_inputs import write_inputs
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
    too_few: int | None = None  # set when fewer than half of the cases were accepted: how many

    def note(self) -> str:
        """A sentence for the result: what was left out and how to pin inputs instead."""
        if not self.dropped:
            return ""
        shown = "; ".join(self.dropped[:4]) + ("; ..." if len(self.dropped) > 4 else "")
        few = (f"; only {self.too_few} case(s) were accepted, fewer than half: nothing to verify by"
               if self.too_few is not None else "")
        return (f"the reference faulted on {len(self.dropped)} generated case(s), left out as outside the "
                f"routine's preconditions ({shown}){few}; pin inputs it accepts with --value NAME=V (and "
                "--shape NAME=EXPR for array extents) to test them")


def _describe(case, run: sandbox.RunOutcome) -> str:
    """The case's sizes and integer scalars (what --value pins), and how the reference failed."""
    shown = dict(case.sizes)
    for name, value in case.values.items():
        if name not in shown and getattr(value, "ndim", 1) == 0 and getattr(value, "dtype", None) is not None \
                and value.dtype.kind == "i":
            shown[name] = int(value)
    return f"{', '.join(f'{k}={v}' for k, v in shown.items()) or 'no integer inputs'}: {run.describe_failure()}"


def run_accepted(pair, proc, cases: list, ref_dir: Path, cand_dir: Path,
                 redraw: Callable[[int], object]) -> Accepted:
    """Called after the reference failed on `cases`: each case runs alone (twice in a row: a
    write past an array's end may corrupt the heap unnoticed until a later case allocates, and
    buffered outputs do not tell which case a crash came from); those it faults on are
    replaced by fresh draws, then the accepted ones run together."""
    dropped: list[str] = []
    accepted: list = []
    queue = list(cases)
    fresh = 0
    budget = _Budget(pair.options.timeout)
    last = None
    while queue and not budget.spent_out:
        case = queue.pop(0)
        _write(proc, [case, case], ref_dir, cand_dir)
        alone = budget.run(pair, ref_dir)
        if alone.cancelled:
            return Accepted(alone, cases, _write(proc, cases, ref_dir, cand_dir), b"", dropped)
        if alone.returncode == 0:
            accepted.append(case)
            continue
        last = (case, alone)
        dropped.append(_describe(case, alone))
        if fresh < len(cases):
            queue.append(redraw(fresh))
            fresh += 1
    if last is None:  # every case runs alone: the fault needs several of them
        inputs = _write(proc, cases, ref_dir, cand_dir)
        run = budget.run(pair, ref_dir)
        return Accepted(run, cases, inputs, read_bytes(ref_dir / "outputs.bin"), dropped)
    if len(accepted) < max(1, len(cases) // 2):  # too few left to verify anything by
        case, alone = last
        inputs = _write(proc, [case], ref_dir, cand_dir)
        return Accepted(alone, [case], inputs, b"", dropped, too_few=len(accepted))
    inputs = _write(proc, accepted, ref_dir, cand_dir)
    run = budget.run(pair, ref_dir)
    return Accepted(run, accepted, inputs, read_bytes(ref_dir / "outputs.bin"), dropped)


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
