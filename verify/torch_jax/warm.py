"""Warm sides for the language server: one sandboxed fork server with torch imported (the
reference) and one with jax imported (the candidate), kept running between verifications of
this pair so a verification does not pay the 2-3 s of imports.  Each verification still runs
in fresh processes forked from them (fork_server.py), in a job folder of its own that is
removed afterwards.  Cancelling a verification or running out of time stops the side (the
next verification starts it again); a side that crashed is started again the same way.

Off unless enable() is called: the command line and batches start their processes afresh."""

from __future__ import annotations

import atexit
import json
import os
import select
import shutil
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import sandbox
from ..errors import Cancelled

LIFETIME_SECONDS = 4 * 3600  # a side is restarted after this long (bounds what it can accumulate)
KEEP = {"requests", "replies", ".stdout", ".stderr", ".stdin"}

_enabled = False
_sides: dict[str, "WarmSide"] = {}
_lock = threading.Lock()


def enable() -> None:
    global _enabled
    _enabled = True


def disable() -> None:
    """Back to fresh processes per verification; running sides are stopped."""
    global _enabled
    _enabled = False
    stop_all()


def enabled() -> bool:
    return _enabled


@dataclass
class Outcome:
    """What runner.py needs to know of one job on a warm side (RunOutcome's fields it reads)."""

    returncode: int | None
    timed_out: bool = False
    warnings: list[str] = field(default_factory=list)
    stderr_text: str = ""

    def describe_failure(self) -> str:
        if self.timed_out:
            return "ran out of time"
        if self.returncode is None:
            return "stopped (its warm worker ended)"
        return f"exited with status {self.returncode}"


class WarmSide:
    def __init__(self, side: str, limits: sandbox.Limits, env: dict, code_dirs: list[Path]):
        self.side, self.limits, self.env, self.code_dirs = side, limits, env, code_dirs
        self.workdir: Path | None = None
        self.thread: threading.Thread | None = None
        self.stop_event = threading.Event()
        self.requests = self.replies = -1
        self.buffer = b""
        self.count = 0
        self.starts = 0
        self.outcome = None

    def alive(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    def start(self) -> None:
        self.stop()
        self.workdir = sandbox.make_workdir(f"transverify-jax-warm-{self.side}-")
        owner = self.workdir.stat()
        for name in ("requests", "replies"):  # the protocol: one JSON line per job each way
            os.mkfifo(self.workdir / name, 0o600)
            os.chown(self.workdir / name, owner.st_uid, owner.st_gid)
        # Held read-write by us, neither end ever sees end-of-file while this process lives.
        self.requests = os.open(self.workdir / "requests", os.O_RDWR)
        self.replies = os.open(self.workdir / "replies", os.O_RDWR | os.O_NONBLOCK)
        self.stop_event = threading.Event()
        self.buffer = b""
        argv = [sys.executable, "-m", "transverify.verify.torch_jax.fork_server", self.side, sandbox.isolation_mode()]
        limits = sandbox.Limits(timeout=LIFETIME_SECONDS, memory_mb=self.limits.memory_mb,
                                cpu_seconds=LIFETIME_SECONDS * 8, max_processes=self.limits.max_processes)
        workdir, stop = self.workdir, self.stop_event

        def serve() -> None:
            try:
                self.outcome = sandbox.run(argv, workdir, limits, env=self.env, cancel=stop, code_dirs=self.code_dirs)
            except Cancelled:
                self.outcome = None

        self.thread = threading.Thread(target=serve, name=f"jax-warm-{self.side}", daemon=True)
        self.thread.start()
        self.starts += 1

    def stop(self) -> None:
        if self.thread is not None:
            self.stop_event.set()
            self.thread.join(timeout=30)
        for fd in (self.requests, self.replies):
            if fd >= 0:
                os.close(fd)
        self.requests = self.replies = -1
        self.thread = None
        if self.workdir is not None:
            sandbox.remove_workdir(self.workdir)
            self.workdir = None

    def job_dir(self) -> Path:
        """A fresh folder in the side's work directory for one job (the worker's owner owns it)."""
        if not self.alive():
            self.start()
        self.count += 1
        folder = self.workdir / f"job{self.count}"
        folder.mkdir()
        owner = self.workdir.stat()
        os.chown(folder, owner.st_uid, owner.st_gid)
        folder.chmod(0o700)
        return folder

    def submit(self, folder: Path, timeout: float, cancel: threading.Event | None) -> Outcome:
        """Run the job prepared in `folder`; its outputs are in that folder afterwards."""
        os.write(self.requests, (json.dumps({"folder": str(folder)}) + "\n").encode())
        deadline = time.monotonic() + timeout
        while True:
            if cancel is not None and cancel.is_set():
                self.stop()
                raise Cancelled()
            if not self.alive():
                return Outcome(None, stderr_text=_tail(folder))
            if time.monotonic() > deadline:
                self.stop()
                return Outcome(None, timed_out=True)
            ready, _, _ = select.select([self.replies], [], [], 0.05)
            if ready:
                try:
                    self.buffer += os.read(self.replies, 65536)
                except BlockingIOError:
                    continue
            while b"\n" in self.buffer:
                line, self.buffer = self.buffer.split(b"\n", 1)
                try:
                    reply = json.loads(line)
                except ValueError:
                    continue
                if reply.get("folder") == str(folder):
                    return Outcome(int(reply.get("status", 1)), stderr_text=_tail(folder))

    def finish(self, folder: Path) -> None:
        """Remove the job's folder and whatever else a job left in the work directory."""
        shutil.rmtree(folder, ignore_errors=True)
        if self.workdir is not None and self.workdir.exists():
            for entry in os.listdir(self.workdir):
                if entry not in KEEP:
                    path = self.workdir / entry
                    if path.is_dir() and not path.is_symlink():
                        shutil.rmtree(path, ignore_errors=True)
                    else:
                        path.unlink(missing_ok=True)


def _tail(folder: Path) -> str:
    try:
        with open(folder / "log.txt", "rb") as handle:
            handle.seek(max(0, handle.seek(0, os.SEEK_END) - 4000))
            return handle.read().decode("utf-8", errors="replace")
    except OSError:
        return ""


def side(name: str, limits: sandbox.Limits, env: dict, code_dirs: list[Path]) -> WarmSide:
    with _lock:
        if name not in _sides:
            _sides[name] = WarmSide(name, limits, env, code_dirs)
        return _sides[name]


def starts() -> dict[str, int]:
    """How many times each side was started (a measure for tests and the benchmark)."""
    return {name: s.starts for name, s in _sides.items()}


@atexit.register
def stop_all() -> None:
    for warm_side in list(_sides.values()):
        warm_side.stop()
