"""A warm side of PyTorch -> JAX verification, inside the sandbox:

    python -m transverify.verify.torch_jax.fork_server reference|candidate ISOLATION

imports torch (reference) or jax (candidate) once, then serves requests read from the FIFO
`requests` in its work directory: each request names a job folder, and a fresh child forked
from this pre-imported process runs that one job there (reference_side or candidate_side) and
exits.  Nothing a job does survives it: the child's memory dies with it, every other process
it left behind is killed, and the scratch folders are emptied before the reply goes out on
the FIFO `replies`.  This process runs no job code itself, and is not dumpable, so a job
cannot attach to it and change what later jobs start from."""

from __future__ import annotations

import ctypes
import json
import os
import signal
import stat
import sys

PR_SET_DUMPABLE = 4
SCRATCH = ("/tmp", "/dev/shm")


def _not_dumpable() -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _run_child(side: str, folder: str, channels: list[int]) -> None:
    for fd in channels:  # the job cannot write to the protocol
        os.close(fd)
    os.chdir(folder)
    null = os.open(os.devnull, os.O_RDONLY)
    log = os.open("log.txt", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(null, 0)
    os.dup2(log, 1)
    os.dup2(log, 2)
    code = 1
    try:
        if side == "reference":
            from . import reference_side as program
        else:
            from . import candidate_side as program
        code = program.main(["jobs.json"])
    except BaseException:  # noqa: BLE001 - whatever the job does, this child ends here
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code if isinstance(code, int) else 1)


def _sweep(keep: set[int], isolation: str) -> None:
    """Kill what a job left running and empty scratch: only where the sandbox gives this server
    a pid namespace (bwrap, unshare) and private scratch folders (bwrap) of its own."""
    if isolation not in ("bwrap", "unshare"):
        return
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) not in keep:
            try:
                os.kill(int(entry), signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
    if isolation != "bwrap":
        return
    for top in SCRATCH:
        try:
            device = os.lstat(top).st_dev
            names = os.listdir(top)
        except OSError:
            continue
        for name in names:
            _wipe(os.path.join(top, name), device)


def _wipe(path: str, device: int) -> None:
    """Remove `path` without crossing into another file system: the work directory and trusted
    code are bound below /tmp from the host, and stay."""
    try:
        info = os.lstat(path)
    except OSError:
        return
    if info.st_dev != device:
        return
    if stat.S_ISDIR(info.st_mode):
        try:
            names = os.listdir(path)
        except OSError:
            return
        for name in names:
            _wipe(os.path.join(path, name), device)
        try:
            os.rmdir(path)
        except OSError:
            pass  # holds a mount point
    else:
        try:
            os.unlink(path)
        except OSError:
            pass


def _ancestors() -> set[int]:
    pids, pid = {os.getpid()}, os.getppid()
    while pid > 0 and pid not in pids:
        pids.add(pid)
        try:
            with open(f"/proc/{pid}/stat") as handle:
                pid = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            break
    return pids


def main(argv: list[str]) -> int:
    side, isolation = argv
    if side == "reference":
        import torch

        from . import reference  # noqa: F401

        with torch.device("meta"):  # the meta device's lazy imports (shrinking uses it): no compute, no threads
            torch.nn.Linear(2, 2)(torch.empty(1, 2))
    else:
        from . import candidate  # noqa: F401  (jax, with its configuration)
    _not_dumpable()
    keep = _ancestors() | {1}
    requests = os.open("requests", os.O_RDONLY)
    replies = os.open("replies", os.O_WRONLY)
    reader = os.fdopen(requests, "r", encoding="utf-8")
    for line in reader:
        try:
            folder = json.loads(line)["folder"]
        except (ValueError, KeyError, TypeError):
            continue
        pid = os.fork()
        if pid == 0:
            _run_child(side, folder, [requests, replies])
        _, status = os.waitpid(pid, 0)
        _sweep(keep, isolation)
        reply = {"folder": folder, "status": os.waitstatus_to_exitcode(status)}
        os.write(replies, (json.dumps(reply) + "\n").encode())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
