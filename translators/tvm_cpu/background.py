"""A tuned TVM translation in a child process, for callers that must stay responsive (the editor).

Parent side: `tune_in_child(job, progress, cancel)` starts

    python -m <package>.translators.tvm_cpu.background

in its own process group, sends the job as one JSON line on stdin and returns the outcome.
The child runs the pipeline (`translate --solver tvm --trials N`, measured) and writes JSON
lines on stdout: {"progress": "..."} per stage or measured trial, then {"outcome": {...}}
(TranslateOutcome.to_dict() plus "code").  Nothing is written beside the source.

Stopping: the parent closes the child's stdin and sends SIGTERM to its group; the child
then stops tuning the way `translate` does on Ctrl-C (the tuning worker's group gets
SIGTERM, then SIGKILL; the cache keeps only whole records).  A child that does not exit in
time is killed with every process it started, tuning worker included (that one runs in
a group of its own).  A child whose parent dies sees its stdin close and stops too.

With trials 0 the child makes the default schedule, verified and measured, as `--solver auto`
offers it (`--solver tvm --trials 0 --measure`; no tuning, no cache): the editor's auto offer.

Job fields: source, entry, output (the path the code is meant for), trials, tune_seconds,
cases, timeout, toolchain ({"gxx": ...}), values ({"n": "512"}: pinned for the verifier too, as
--value), shape ({"n": "4096"}: tuned and timed at, the verifier's cases left free),
records (record store path or null; nothing is recorded).
"""

from __future__ import annotations

import collections
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable

STOP_GRACE = 15.0  # s the child has to stop its tuning worker and exit after SIGTERM


class BackgroundFailed(Exception):
    """The child ended without an outcome (crashed, killed, bad job)."""


# -- parent side ---------------------------------------------------------------------------

def tune_in_child(job: dict, progress: Callable[[str], None] | None = None,
                  cancel: threading.Event | None = None) -> dict | None:
    """The child's outcome dict, or None when `cancel` stopped it (nothing is left running)."""
    proc = subprocess.Popen([sys.executable, "-m", __package__ + ".background"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    errors: collections.deque = collections.deque(maxlen=40)  # the end of its stderr says why it failed
    threading.Thread(target=lambda: errors.extend(proc.stderr), daemon=True).start()
    lines: list[dict] = []
    arrived = threading.Event()

    def read() -> None:
        for raw in proc.stdout:
            try:
                message = json.loads(raw)
            except ValueError:
                continue
            if isinstance(message, dict):
                lines.append(message)
                arrived.set()
        arrived.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    outcome = None
    try:
        try:
            proc.stdin.write((json.dumps(job) + "\n").encode())
            proc.stdin.flush()
        except (BrokenPipeError, OSError):
            pass  # the child died at once; its stderr says why
        seen = 0
        while True:
            arrived.wait(0.2)
            arrived.clear()
            finished = proc.poll() is not None and not reader.is_alive()  # before reading: no line is missed
            while seen < len(lines):
                message = lines[seen]
                seen += 1
                if isinstance(message.get("progress"), str) and progress is not None:
                    progress(message["progress"])
                elif isinstance(message.get("outcome"), dict):
                    outcome = message["outcome"]
            if cancel is not None and cancel.is_set():
                stop_child(proc)
                return None
            if finished:
                break
    finally:
        if proc.poll() is None:
            stop_child(proc)
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            try:
                stream.close()
            except OSError:
                pass
    if outcome is None:
        tail = b"".join(errors).decode("utf-8", "replace").strip().splitlines()
        raise BackgroundFailed(tail[-1] if tail else f"the tuning process ended with status {proc.returncode}")
    return outcome


def stop_child(proc: subprocess.Popen, grace: float = STOP_GRACE) -> None:
    """Ask the child to stop (stdin closed, SIGTERM to its group); kill what is left after `grace`."""
    started = _descendants(proc.pid)  # before they are orphaned and lose the link to the child
    try:
        proc.stdin.close()
    except (OSError, ValueError):
        pass
    _signal_group(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        pass
    started += _descendants(proc.pid)
    _signal_group(proc.pid, signal.SIGKILL)
    for child in started:  # e.g. a tuning worker that its own group keeps out of the child's
        try:
            if child.is_running():
                _signal_group(os.getpgid(child.pid), signal.SIGKILL)
                child.kill()
        except Exception:  # noqa: BLE001 - gone meanwhile
            continue
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


def _descendants(pid: int) -> list:
    try:
        import psutil

        return psutil.Process(pid).children(recursive=True)
    except Exception:  # noqa: BLE001 - no psutil, or the process is gone
        return []


def _signal_group(pgid: int, sig: int) -> None:
    if pgid <= 1 or pgid == os.getpgrp():
        return  # never the caller's own group
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


# -- child side ----------------------------------------------------------------------------

def _emit(message: dict, cancel: threading.Event) -> None:
    try:
        sys.stdout.write(json.dumps(message, default=str) + "\n")
        sys.stdout.flush()
    except (OSError, ValueError):  # nobody reads any more: the parent is gone
        cancel.set()


def _watch_stdin(cancel: threading.Event) -> None:
    """The parent closes stdin to stop this run (or dies, which closes it too)."""
    try:
        while sys.stdin.buffer.read(4096):
            pass
    except (OSError, ValueError):
        pass
    cancel.set()


def main() -> int:
    cancel = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: cancel.set())
    line = sys.stdin.buffer.readline()
    try:
        job = json.loads(line)
        if not isinstance(job, dict):
            raise ValueError("not an object")
    except ValueError as exc:
        print(f"tvm background job: bad job line: {exc}", file=sys.stderr)
        return 2
    threading.Thread(target=_watch_stdin, args=(cancel,), daemon=True).start()
    outcome = run_job(job, cancel, lambda message: _emit({"progress": message}, cancel))
    if cancel.is_set():
        return 130
    _emit({"outcome": outcome}, cancel)
    return 0


def run_job(job: dict, cancel: threading.Event, progress: Callable[[str], None]) -> dict:
    from ...verify import VerifyOptions
    from ..pipeline import TranslateRequest, translate
    from ..records import RecordStore

    options = VerifyOptions(cases=int(job.get("cases", 8)), timeout=float(job.get("timeout", 10.0)),
                            toolchain={k: v for k, v in (job.get("toolchain") or {}).items() if v},
                            values={str(k): str(v) for k, v in (job.get("values") or {}).items()})
    records = job.get("records")
    request = TranslateRequest(
        source=Path(job["source"]), target="cpu", entry=job.get("entry"), solver="tvm",
        output=Path(job["output"]) if job.get("output") else None, verify_options=options, cancel=cancel,
        progress=progress, store=RecordStore.open(Path(records) if records else None, enabled=False),
        tvm_trials=int(job["trials"]), tvm_tune_seconds=job.get("tune_seconds"), tvm_measure=True,
        tvm_shape={str(k): str(v) for k, v in (job.get("shape") or {}).items()})
    started = time.monotonic()
    outcome = translate(request)
    return {**outcome.to_dict(), "code": outcome.code, "seconds": round(time.monotonic() - started, 2)}


if __name__ == "__main__":
    sys.exit(main())
