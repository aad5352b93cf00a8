"""MetaSchedule tuning with a per-target, per-workload JSON cache.

`tuned_records()` first queries the cache (tune_cache.py); only on a miss does it run
`tune_worker` as a child process with the trial budget, stopping it at the time budget
or on cancellation, then reads the records it committed.  Candidates are ranked by the
run time of their emitted C++ built with g++ (tune_measure.py); the caller replays the
best traces on the workload it emits.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .tune_cache import repair_records, tuning_threads, workload_dir, workload_hash

SEED = 42  # fixed: the same budget on the same machine searches the same schedules
TOP_K = 4  # records handed back, best first (the emitter takes the first it can print)
META = "transverify_meta.json"  # a finished run's budget and time; records without it are discarded
RECORD_FILES = ("database_tuning_record.json", "database_workload.json")


class TuningCancelled(Exception):
    pass


class TuningFailed(Exception):
    pass


@dataclass
class Tuned:
    traces: list  # tvm Trace, best first
    best_ms: list  # TVM's measured mean run time of each, ms
    cached: bool  # records came from the cache: no tuning ran
    trials: int  # measured candidates of the run that made the records
    seconds: float  # that run's tuning time
    stopped: str | None = None  # "time budget" when --tune-seconds ended the run early
    cache_dir: str = ""
    notes: list = field(default_factory=list)
    extended_from: int | None = None  # the cached run's measured trials this run searched on from


def canonical_module(func):
    """The workload as tuned and hashed: one PrimFunc named 'main'."""
    import tvm

    return tvm.IRModule({"main": func.with_attr("global_symbol", "main")})


def candidate_flags(fast_math: bool) -> tuple[str, ...]:
    """Compiler flags candidates are built with beyond tune_measure's own: with --fast-math,
    the verifier's fast-math flags, so the search ranks the build the user will run."""
    if not fast_math:
        return ()
    from ...verify.cuda.build import FAST_MATH_FLAGS
    from .tune_measure import CXX_FLAGS

    return tuple(flag for flag in FAST_MATH_FLAGS if flag not in CXX_FLAGS)


def tuned_records(func, trials: int, seconds: float | None, cache_dir=None, progress=None,
                  cancel: threading.Event | None = None, fast_math: bool = False) -> Tuned:
    """Records for the tuning-form workload `func` (cached, else tuned now); fast-math records
    are ranked on fast-math builds and kept in a folder of their own."""
    mod = canonical_module(func)
    flags = candidate_flags(fast_math)
    folder = workload_dir(workload_hash(mod), cache_dir, build_flags=flags)
    with _workload_lock(folder, progress, cancel):
        return _cached_or_tuned(mod, folder, trials, seconds, progress, cancel, flags)


@contextlib.contextmanager
def _workload_lock(folder: Path, progress, cancel):
    """One tuning run per workload at a time: a second process waits, then finds the records."""
    handle = open(folder / ".lock", "a+")
    try:
        said = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if cancel is not None and cancel.is_set():
                    raise TuningCancelled("tuning cancelled") from None
                if progress and not said:
                    progress("waiting for another tuning run of this workload to finish")
                    said = True
                time.sleep(0.5)
        yield
    finally:
        handle.close()  # releases the lock


def _cached_or_tuned(mod, folder: Path, trials: int, seconds: float | None, progress, cancel,
                     flags: tuple[str, ...] = ()) -> Tuned:
    meta = _read_meta(folder)
    cached = _query(mod, folder) if meta else None
    if cached is not None and trials <= int(meta.get("trials", 0)):
        return Tuned(traces=cached[0], best_ms=cached[1], cached=True, trials=int(meta.get("measured", 0)),
                     seconds=float(meta.get("seconds", 0.0)), stopped=meta.get("stopped"), cache_dir=str(folder))
    if cached is not None:  # a larger budget than the cached run's: search on from its records
        return _searched_on(mod, folder, meta, trials, seconds, progress, cancel, flags)
    # Records without the run's meta file are what a cancelled or killed run left: not a result.
    _discard_records(folder)
    started = time.monotonic()
    try:
        stopped = _run_worker(mod, folder, trials, seconds, progress, cancel, flags)
    except TuningCancelled:
        _discard_records(folder)  # a cancelled run writes nothing, in the cache neither
        raise
    elapsed = time.monotonic() - started
    found = _query(mod, folder)
    if found is None:
        if stopped.get("reason") == "time budget":
            raise TuningFailed(f"no schedule was measured within --tune-seconds {seconds:g}; give it more time")
        raise TuningFailed(stopped.get("error") or "tuning measured no schedule that ran")
    _write_meta(folder, {"measured": stopped["measured"], "seconds": round(elapsed, 2), "trials": trials,
                         "seed": SEED, "stopped": stopped.get("reason"), "cxx_flags": list(flags)})
    return Tuned(traces=found[0], best_ms=found[1], cached=False, trials=stopped["measured"], seconds=elapsed,
                 stopped=stopped.get("reason"), cache_dir=str(folder))


def _searched_on(mod, folder: Path, meta: dict, trials: int, seconds: float | None, progress, cancel,
                 flags: tuple[str, ...]) -> Tuned:
    """A cached workload asked for more trials than its records were made with: the search runs on
    for the difference, its evolutionary population seeded from the records in the database (with a
    seed of its own, so it does not propose the first run's candidates again), and the records of
    both runs rank together. A cancelled or failed extension leaves the cached records as they were."""
    before = int(meta.get("trials", 0))
    measured_before = int(meta.get("measured", 0))
    more = trials - before
    saved = {name: (folder / name).read_bytes() for name in RECORD_FILES if (folder / name).is_file()}
    if progress:
        progress(f"the cache holds {measured_before} measured trial(s) of this workload (a budget of {before}); "
                 f"searching on for {more} more")
    started = time.monotonic()
    try:
        stopped = _run_worker(mod, folder, more, seconds, progress, cancel, flags, seed=SEED + before)
        found = _query(mod, folder) if not stopped.get("error") else None
        if found is None:
            raise TuningFailed(stopped.get("error") or "the extended search measured no schedule that ran")
    except BaseException:
        for name, data in saved.items():  # the cached run's records, as they were
            (folder / name).write_bytes(data)
        raise
    elapsed = time.monotonic() - started
    seconds_all = float(meta.get("seconds", 0.0)) + elapsed
    _write_meta(folder, {**meta, "measured": measured_before + stopped["measured"], "trials": trials,
                         "seconds": round(seconds_all, 2), "stopped": stopped.get("reason"),
                         "extended_from": before})
    return Tuned(traces=found[0], best_ms=found[1], cached=False, trials=measured_before + stopped["measured"],
                 seconds=seconds_all, stopped=stopped.get("reason"), cache_dir=str(folder),
                 extended_from=measured_before)


def _write_meta(folder: Path, meta: dict) -> None:
    # Written last and by rename: its presence says the records are a finished run's.
    partial = folder / ".transverify_meta.json.tmp"
    partial.write_text(json.dumps(meta), encoding="utf-8")
    os.replace(partial, folder / META)


def _read_meta(folder: Path) -> dict:
    try:
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return meta if isinstance(meta, dict) else {}


def _discard_records(folder: Path) -> None:
    for name in (META, *RECORD_FILES):
        with contextlib.suppress(FileNotFoundError):
            (folder / name).unlink()


def _query(mod, folder: Path):
    """(traces, run times in ms) of the best records of this workload, or None."""
    from tvm.s_tir import meta_schedule as ms

    if not (folder / "database_tuning_record.json").is_file():
        return None
    repair_records(folder)
    database = ms.database.JSONDatabase(work_dir=str(folder))
    if not database.has_workload(mod):
        return None
    records = database.get_top_k(database.commit_workload(mod), TOP_K)
    if not records:
        return None
    times = [1000 * sum(float(s) for s in r.run_secs) / max(1, len(r.run_secs)) for r in records]
    return [r.trace for r in records], times


def _run_worker(mod, folder: Path, trials: int, seconds: float | None, progress, cancel,
                flags: tuple[str, ...] = (), seed: int = SEED) -> dict:
    import tvm

    job_dir = Path(tempfile.mkdtemp(prefix="transverify-tune-"))
    try:
        (job_dir / "workload.json").write_text(tvm.ir.save_json(mod), encoding="utf-8")
        (job_dir / "job.json").write_text(json.dumps({"trials": trials, "seed": seed, "threads": tuning_threads(),
                                                      "database": str(folder), "cxx_flags": list(flags)}),
                                          encoding="utf-8")
        errors = open(job_dir / "stderr.txt", "w+b")
        package = __package__ + ".tune_worker"
        proc = subprocess.Popen([sys.executable, "-m", package, str(job_dir)], stdout=subprocess.PIPE,
                                stderr=errors, stdin=subprocess.DEVNULL, start_new_session=True,
                                env=dict(os.environ, TVM_NUM_THREADS=str(tuning_threads())))
        lines: queue.Queue = queue.Queue()
        reader = threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True)
        reader.start()
        deadline = time.monotonic() + seconds if seconds else None
        state = {"measured": 0}
        if progress:
            progress(f"tuning with MetaSchedule: {trials} trial(s)" + (f", at most {seconds:g} s" if seconds else "")
                     + (f", candidates built with {' '.join(flags)}" if flags else ""))
        try:
            while True:
                try:
                    line = lines.get(timeout=0.2)
                    _progress_line(line, state, progress)
                    continue
                except queue.Empty:
                    pass
                if proc.poll() is not None and not reader.is_alive():
                    while not lines.empty():
                        _progress_line(lines.get(), state, progress)
                    break
                if cancel is not None and cancel.is_set():
                    _stop(proc)
                    raise TuningCancelled("tuning cancelled")
                if deadline is not None and time.monotonic() > deadline:
                    _stop(proc)
                    state["reason"] = "time budget"
                    if progress:
                        progress(f"tuning stopped at the time budget ({seconds:g} s) after "
                                 f"{state['measured']} measured trial(s)")
                    break
        finally:
            if proc.poll() is None:
                _stop(proc)
        if proc.returncode not in (0, None) and "reason" not in state:
            errors.seek(0)
            tail = errors.read().decode("utf-8", "replace").strip().splitlines()
            state["error"] = "tuning failed: " + (tail[-1] if tail else f"exit status {proc.returncode}")
        errors.close()
        return state
    finally:
        shutil.rmtree(job_dir, ignore_errors=True)


def _progress_line(raw: bytes, state: dict, progress) -> None:
    try:
        report = json.loads(raw)
    except ValueError:
        return
    state["measured"] = int(report.get("measured", 0))
    if progress:
        best = report.get("best_ms")
        progress(f"tuning: {state['measured']}/{report.get('trials')} trials measured"
                 + (f", best {best:.3f} ms (emitted C++)" if best is not None else ""))


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM to the worker's process group (its build/run pools too), SIGKILL if it lingers."""
    for sig, wait in ((signal.SIGTERM, 3.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue
