"""Watch and end a sandboxed process tree without cgroups.

  ProcessWatch(root_pid, token, uid)    follows every process the run starts: its descendants,
                                        orphans reparented to us (we become a child subreaper)
                                        that carry the run's token in their environment, and,
                                        when the run has a uid of its own, every process of it
  .scan() -> int                        records the processes seen; returns their resident
                                        memory in bytes (the memory watchdog compares it)
  .kill_all()                           SIGKILLs everything recorded or found and reaps it

A double-forked daemon that calls setsid() leaves the process group, so killing the group
alone is not enough; in the `none` fallback this is all that stands between such a daemon
and a life after the run.
"""

from __future__ import annotations

import ctypes
import os
import signal
import time

PR_SET_CHILD_SUBREAPER = 36
PAGE = os.sysconf("SC_PAGE_SIZE")
_subreaper = False


def become_subreaper() -> None:
    """Orphans of our sandboxed children reparent to this process instead of init, so none escapes."""
    global _subreaper
    if _subreaper:
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        _subreaper = libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        _subreaper = False


def _stat(pid: str) -> tuple[int, int, int, str] | None:
    """(ppid, start time, rss bytes, state) of a process, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[1]), int(fields[19]), int(fields[21]) * PAGE, fields[0]


def _carries(pid: str, token: bytes) -> bool:
    try:
        with open(f"/proc/{pid}/environ", "rb") as handle:
            return token in handle.read().split(b"\0")
    except OSError:
        return False


def _owner(pid: str) -> int | None:
    try:
        return os.stat(f"/proc/{pid}").st_uid
    except OSError:
        return None


class ProcessWatch:
    def __init__(self, root_pid: int, token: str, uid: int | None):
        self.root = root_pid
        self.token = token.encode()
        self.uid = uid  # a uid used by this run alone (root drops to a fresh one), else None
        self.seen: dict[int, int] = {}  # pid -> start time (guards against pid reuse)
        self.me = os.getpid()

    @staticmethod
    def _children(pid: int) -> list[int]:
        found: list[int] = []
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            return found
        for task in tasks:
            try:
                with open(f"/proc/{pid}/task/{task}/children") as handle:
                    found.extend(int(c) for c in handle.read().split())
            except OSError:
                continue
        return found

    def _is_ours(self, pid: int, info: tuple[int, int, int, str]) -> bool:
        """An orphan reparented to us: ours if seen before, of our uid, or carrying the token."""
        return (self.seen.get(pid) == info[1] or (self.uid is not None and _owner(str(pid)) == self.uid)
                or _carries(str(pid), self.token))

    def _members(self, sweep_uid: bool = False) -> dict[int, tuple[int, int, int, str]]:
        """The run's processes: the tree under the root, reparented orphans of the run and their
        trees, and with sweep_uid every process of the run's own uid (a full /proc scan)."""
        stack = [self.root]
        for pid in self._children(self.me):
            if pid != self.root:
                info = _stat(str(pid))
                if info is not None and self._is_ours(pid, info):
                    stack.append(pid)
        if sweep_uid and self.uid is not None:
            stack += [int(e) for e in os.listdir("/proc") if e.isdigit() and _owner(e) == self.uid]
        members: dict[int, tuple[int, int, int, str]] = {}
        while stack:
            pid = stack.pop()
            if pid in members:
                continue
            info = _stat(str(pid))
            if info is None:
                continue
            members[pid] = info
            stack.extend(self._children(pid))
        return members

    def scan(self) -> int:
        members = self._members()
        for pid, info in members.items():
            self.seen.setdefault(pid, info[1])
        return sum(info[2] for pid, info in members.items() if pid != self.root or info[3] not in "ZX")

    def kill_all(self, patience: float = 5.0) -> None:
        deadline = time.monotonic() + patience
        while True:
            members = self._members(sweep_uid=True)
            for pid, info in members.items():
                self.seen.setdefault(pid, info[1])  # so that its zombie is reaped below
            alive = {pid for pid, info in members.items() if info[3] not in "ZX" and pid != self.root}
            for pid, started in list(self.seen.items()):
                info = _stat(str(pid))
                if info is not None and info[1] == started and info[3] not in "ZX" and pid != self.root:
                    alive.add(pid)
            for pid in alive:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            self._reap()
            if not alive or time.monotonic() >= deadline:
                return
            time.sleep(0.01)

    def _reap(self) -> None:
        """Collect the zombies of processes that were reparented to us."""
        for pid in list(self.seen):
            if pid == self.root:
                continue
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass
            except OSError:
                pass
