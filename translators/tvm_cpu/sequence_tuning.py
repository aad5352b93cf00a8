"""`--trials N` for an entry of several launches or launches in a host loop: each launch is its own
MetaSchedule workload, tuned at the entry's shape with a share of the budget, and keeps its default
schedule for every other shape (each launch's function picks one, as a single kernel's entry does).

The trials and the time budget are shared equally among the launches. The integer parameters of
the entry are pinned at the tuning shape; a host loop's variable is not (the tuned function runs
on every step), and the arrays are as long as the launch reaches at its first and last values.
A launch whose tuning fails keeps its default schedule, and the result says which and why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class LaunchToTune:
    number: int  # 1-based, in launch order
    kernel: str
    lifted: object  # lift.Lifted
    loop: object  # host_loop.HostLoop or None
    params: list  # the launch function's parameters (the entry's, and the loop variable)


@dataclass
class TunedLaunch:
    lowered: object  # the tuned schedule, lowered, at the pinned shape
    names: dict  # PrimFunc buffer -> C array
    scalars: list  # its scalar parameters (those not pinned)
    pinned: dict  # entry's integer parameter -> value the tuned function is for
    decisions: list  # the schedule in words


@dataclass
class SequenceRecord:
    """What solve() reports of a tuning run (the fields of tuning.Tuned it reads), over all launches."""
    trials: int
    seconds: float
    cached: bool
    stopped: str | None
    cache_dir: str
    best_ms: list  # [the launches' best times added up, one call each]
    launches: list = field(default_factory=list)  # per launch: kernel, trials, seconds, cached, best ms, note


def tune_launches(launches: list[LaunchToTune], host, tuning, progress=None,
                  integer_locals: dict | None = None) -> tuple[list, SequenceRecord]:
    """host: the entry (verify.cuda signature); integer_locals: the entry's integer locals the launches
    take (entry_locals.py), pinned at their values at the tuning shape like its parameters.
    Each launch's TunedLaunch (None when it keeps its default schedule) and the run's record.
    Raises tuning.TuningCancelled when cancelled; a failure of one launch is a note, not an error."""
    from .bounds import sequence_lengths, tuning_values
    from .entry_locals import with_locals
    from .schedule import lower
    from .te_build import build_prim_func
    from .tuned_trace import replay, trace_words
    from .tuning import TuningCancelled, tuned_records

    host_values = tuning_values(host, tuning.values)
    tuning.shape = host_values
    host_values = with_locals(host_values, integer_locals or {})
    share = max(1, math.ceil(tuning.trials / len(launches)))
    seconds = tuning.seconds / len(launches) if tuning.seconds is not None else None
    results, summaries, folders = [], [], []
    for launch in launches:
        summary = {"launch": launch.number, "kernel": launch.kernel}
        summaries.append(summary)
        if progress:
            progress(f"tuning launch {launch.number} ({launch.kernel}): {share} trials")
        # pinned: only the parameters this launch reads, so its tuned schedule serves every value of the others
        pinned = {name: value for name, value in host_values.items() if name in params_read(launch.lifted)}
        try:
            lengths = sequence_lengths([(launch.lifted, launch.loop)], host_values)
            tune_form = build_prim_func(launch.lifted, launch.params, pinned, lengths, scalar_buffers=True)
            emit_form = build_prim_func(launch.lifted, launch.params, pinned, lengths)
            record = tuned_records(tune_form.func, share, seconds, tuning.cache_dir, progress, tuning.cancel,
                                   tuning.fast_math)
        except TuningCancelled:
            raise
        except Exception as exc:  # noqa: BLE001 - this launch's search failed; it keeps its default schedule
            summary["note"] = f"not tuned: {_first_line(exc)}"
            results.append(None)
            continue
        folders.append(record.cache_dir)
        summary.update(trials=record.trials, tune_seconds=round(record.seconds, 2), cached=record.cached)
        if record.extended_from is not None:
            summary["searched_on_from"] = record.extended_from
        tuned, failures = None, []
        for rank, trace in enumerate(record.traces):
            try:
                lowered = lower(replay(emit_form.func, trace))
            except Exception as exc:  # noqa: BLE001 - a record TVM cannot replay or lower here
                failures.append(_first_line(exc))
                continue
            tuned = TunedLaunch(lowered, {**emit_form.inputs, **emit_form.outputs}, emit_form.scalars,
                                pinned, trace_words(trace))
            summary.update(record_rank=rank, tvm_best_ms=float(f"{record.best_ms[rank]:.4g}"))
            if record.stopped:
                summary["stopped"] = record.stopped
            break
        if tuned is None:
            summary["note"] = "not tuned: no tuned schedule could be lowered: " + "; ".join(failures[:2])
        results.append(tuned)
    tuned_summaries = [s for s in summaries if "tvm_best_ms" in s]
    record = SequenceRecord(
        trials=sum(s.get("trials", 0) for s in summaries),
        seconds=sum(s.get("tune_seconds", 0.0) for s in summaries),
        cached=bool(tuned_summaries) and all(s.get("cached") for s in summaries if "trials" in s),
        stopped=next((s["stopped"] for s in summaries if s.get("stopped")), None),
        cache_dir=str(Path(folders[0]).parent) if folders else "",
        best_ms=[sum(s["tvm_best_ms"] for s in tuned_summaries)],
        launches=summaries)
    return results, record


def params_read(lifted) -> set[str]:
    """The scalar parameters a lifted launch's domain, reductions and stores read."""
    from .ir import symbols

    exprs = list(lifted.extents.values())
    for stage in lifted.stages:
        exprs += [stage.expr, stage.lo, stage.hi, stage.where, *(e for _, lo, hi in stage.inner for e in (lo, hi))]
    exprs += [out.value for out in lifted.outputs]
    return set().union(*(symbols(e, ("param",)) for e in exprs if e is not None))


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[-1][:300] if text else type(exc).__name__
