"""Run untrusted commands (compilers, generated and translated programs).

Every run gets: its own working directory (the only writable place), a
wall-clock timeout, memory (address space and a resident-memory watchdog),
CPU, file-size and process-count limits, size-capped scratch space, no core
dumps, no network, and its whole process tree killed at the end.

Isolation is layered by what the machine offers (docs/security.md):
  bwrap    bubblewrap: only system and toolchain directories, read-only (sandbox_layout.py);
           private size-capped /tmp; new pid, net and ipc namespaces        -> strong
  unshare  util-linux unshare (with a user namespace when not root): new pid and net
           namespaces; the file system is visible with the user's rights  -> weak
  none     rlimits, and the process tree (a double-forked daemon included) killed -> weak
The result says which (`RunOutcome.isolation`, `isolation_report()`).
Running as root, the program drops to an unprivileged uid of its own, because root ignores
RLIMIT_NPROC and a fork spree would otherwise be unbounded.
"""

from __future__ import annotations

import os
import resource
import secrets
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import Cancelled
from .sandbox_layout import bwrap_command, isolation_report, tool_binds, unshare_command
from .sandbox_reaper import ProcessWatch, become_subreaper

# Runs as root drop to a fresh unprivileged uid from this range (no passwd entry needed):
# RLIMIT_NPROC counts processes per uid machine-wide, so a shared uid such as nobody would
# let one sandbox's fork spree starve every other sandbox's compiler of processes.
SANDBOX_UID_BASE = 0x10000000
SANDBOX_UID_SPAN = 0x01000000
DEFAULT_MEMORY_MB = 4096
DEFAULT_OUTPUT_LIMIT = 16 * 1024 * 1024  # bytes of stdout/stderr kept; RLIMIT_FSIZE enforces it
DEFAULT_MAX_PROCESSES = 256
DEFAULT_SCRATCH_MB = 128  # each of /tmp, /dev/shm and a run's work directory (bubblewrap)
WATCH_INTERVAL = 0.1  # seconds between resident-memory checks of the process tree
__all__ = ["Limits", "RunOutcome", "run", "make_workdir", "remove_workdir", "isolation_mode", "isolation_report"]


@dataclass
class RunOutcome:
    returncode: int | None
    stdout: bytes
    stderr: bytes
    wall_time: float
    timed_out: bool = False
    cancelled: bool = False
    signal_name: str | None = None  # set when killed by a signal
    memory_exceeded: bool = False  # killed by the resident-memory watchdog
    memory_limit_mb: int | None = None
    time_limit: float | None = None  # the wall-clock limit it ran under
    output_limit_bytes: int | None = None  # RLIMIT_FSIZE it ran under
    isolation: str = "none"
    warnings: list[str] = field(default_factory=list)

    @property
    def stdout_text(self) -> str:
        return self.stdout.decode("utf-8", "replace")

    @property
    def stderr_text(self) -> str:
        return self.stderr.decode("utf-8", "replace")

    def describe_failure(self) -> str:
        """A one-line human reason why the run did not exit 0."""
        if self.timed_out:
            return (f"timed out after {self.time_limit or self.wall_time:g} s "
                    "(killed with its whole process tree)")
        if self.cancelled:
            return "cancelled"
        if self.memory_exceeded:
            return (f"exceeded the memory limit of {self.memory_limit_mb} MiB "
                    "(killed with its whole process tree)")
        if self.signal_name:
            reason = {
                "SIGSEGV": "crashed with a segmentation fault (invalid memory access)",
                "SIGBUS": "crashed with a bus error (invalid memory access)",
                "SIGFPE": "crashed with a floating-point exception (e.g. integer division by zero)",
                "SIGABRT": "aborted (failed assertion, allocation failure or runtime check)",
                "SIGKILL": "was killed (memory or CPU limit exceeded)",
                "SIGXCPU": "exceeded its CPU time limit",
                "SIGXFSZ": "wrote more output than allowed" + (
                    f" ({self.output_limit_bytes // (1024 * 1024)} MiB a file; a test harness prints every "
                    "output value, so at large sizes verify with smaller ones)" if self.output_limit_bytes else ""),
                "SIGILL": "executed an illegal instruction",
            }.get(self.signal_name, f"was killed by {self.signal_name}")
            return reason
        return f"exited with status {self.returncode}"


@dataclass
class Limits:
    timeout: float = 10.0  # wall-clock seconds
    memory_mb: int | None = DEFAULT_MEMORY_MB  # address space; None for AddressSanitizer builds
    # Resident memory of the whole process tree, checked every WATCH_INTERVAL: the limit that
    # still holds where RLIMIT_AS cannot be used (AddressSanitizer, the CUDA driver) and
    # across processes. None: the same as memory_mb, or DEFAULT_MEMORY_MB.
    rss_mb: int | None = None
    cpu_seconds: int | None = None  # defaults to a multiple of the timeout
    output_bytes: int = DEFAULT_OUTPUT_LIMIT  # per file (RLIMIT_FSIZE)
    max_processes: int = DEFAULT_MAX_PROCESSES  # threads count too (OpenMP)
    scratch_mb: int = DEFAULT_SCRATCH_MB  # size of each tmpfs the run can write

    @property
    def watched_rss_mb(self) -> int:
        return self.rss_mb or self.memory_mb or DEFAULT_MEMORY_MB


# Running as root, each work directory belongs to a uid of its own, the one its commands run
# as: a candidate (in any isolation mode) can then neither read nor change another
# directory, such as the reference's beside it, or another verification's.
_OWNERS: dict[str, int] = {}


def make_workdir(prefix: str = "transverify-") -> Path:
    """A fresh directory that only its sandboxed commands (and we) can write."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    _give_to_sandbox(path)
    return path


def make_subdir(parent: Path, name: str) -> Path:
    """A directory of its own inside a work directory (one per side of a verification)."""
    path = parent / name
    path.mkdir()
    _give_to_sandbox(path)
    if os.geteuid() == 0:
        os.chmod(parent, 0o711)  # traversable to reach the subdirectory, not listable or writable
    return path


def _give_to_sandbox(path: Path) -> None:
    if os.geteuid() == 0 and shutil.which("setpriv"):
        uid = SANDBOX_UID_BASE + secrets.randbelow(SANDBOX_UID_SPAN)
        os.chown(path, uid, uid)
        _OWNERS[str(path)] = uid
    os.chmod(path, 0o700)


def remove_workdir(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
    prefix = str(path).rstrip("/") + "/"
    for key in [k for k in _OWNERS if k == str(path) or k.startswith(prefix)]:
        _OWNERS.pop(key, None)


def isolation_mode() -> str:
    """Which isolation works here: TRANSVERIFY_SANDBOX when set (read on each call), else probed
    once per boot (a probe costs a process launch on every command-line call otherwise),
    remembered next to the compiled-reference cache."""
    if os.environ.get("TRANSVERIFY_SANDBOX") in ("bwrap", "unshare", "none"):
        return os.environ["TRANSVERIFY_SANDBOX"]
    return _probed_mode()


@lru_cache(maxsize=1)
def _probed_mode() -> str:
    memo = _probe_memo_path()
    try:
        remembered = memo.read_text().strip() if memo is not None else ""
    except OSError:
        remembered = ""
    if remembered in ("bwrap", "unshare", "none"):
        return remembered
    mode = _probe()
    if memo is not None:
        from .cache import write_atomic

        write_atomic(memo, mode)
    return mode


def _probe_memo_path() -> Path | None:
    """Keyed by boot, user and the tools' identities: any of them changing probes again."""
    from .cache import cache_root, content_key

    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return None
    tools = []
    for tool in ("bwrap", "unshare", "setpriv"):
        path = shutil.which(tool)
        if path:
            stat = os.stat(path)
            tools.append(f"{path}:{stat.st_mtime_ns}:{stat.st_size}")
    key = content_key("sandbox-probe-2", boot, str(os.geteuid()), *tools)
    return cache_root() / "probes" / f"sandbox-{key[:24]}"


def _probe() -> str:
    probe_dir = make_workdir("transverify-probe-")
    try:
        if shutil.which("bwrap"):
            prefix = bwrap_command(probe_dir, writable=None, readonly={}, extra_binds=[],
                                   scratch_bytes=DEFAULT_SCRATCH_MB << 20)
            ok = subprocess.run(prefix + ["true"], capture_output=True, timeout=10)
            if ok.returncode == 0:
                return "bwrap"
        if shutil.which("unshare"):
            ok = subprocess.run(unshare_command() + ["true"], capture_output=True, timeout=10)
            if ok.returncode == 0:
                return "unshare"
    except (OSError, subprocess.SubprocessError):
        pass
    finally:
        remove_workdir(probe_dir)
    return "none"


def _private_places() -> list[str]:
    """Places a tool installation bound into the sandbox must not contain."""
    from .cache import cache_root

    places = [str(Path.home()), str(cache_root())]
    for variable in ("TRANSVERIFY_RECORDS", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        if os.environ.get(variable):
            places.append(os.environ[variable])
    return [os.path.realpath(p) for p in places]


def _drop_privileges_prefix(workdir: Path) -> tuple[list[str], int | None]:
    """setpriv to the work directory's uid (or a fresh one) when root: the prefix, and that uid."""
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        return [], None
    uid = _OWNERS.get(str(workdir)) or SANDBOX_UID_BASE + secrets.randbelow(SANDBOX_UID_SPAN)
    return ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--"], uid


def _limit_setter(limits: Limits):
    cpu = limits.cpu_seconds or max(2, int(limits.timeout * 4) + 1)

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.output_bytes, limits.output_bytes))
        if limits.memory_mb:
            size = limits.memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (size, size))
        if os.geteuid() != 0:
            # Not root: RLIMIT_NPROC counts all of this user's processes, so
            # allow what the user already runs plus the sandbox's share.
            current = _count_user_processes()
            resource.setrlimit(resource.RLIMIT_NPROC, (current + limits.max_processes,) * 2)
        else:
            resource.setrlimit(resource.RLIMIT_NPROC, (limits.max_processes, limits.max_processes))

    return apply


def _count_user_processes() -> int:
    uid = os.getuid()
    count = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    count += len(os.listdir(f"/proc/{entry}/task"))
            except OSError:
                continue
    return count


def run(argv: list[str], workdir: Path, limits: Limits | None = None, *, env: dict[str, str] | None = None,
        stdin: bytes = b"", cancel: threading.Event | None = None, trusted_env: bool = False,
        writable: list[str] | None = None, readonly: dict[str, Path] | None = None,
        code_dirs: list[Path] | None = None) -> RunOutcome:
    """Run argv inside workdir under the sandbox and return what happened.

    Output goes to files in workdir (capped by RLIMIT_FSIZE) rather than pipes,
    so a program that prints forever is stopped by the limit, not by our memory.

    writable: None for a compile (the work directory is writable); for a run, the names of
      the files in workdir the program may write (its outputs): under bubblewrap everything
      else it writes lands in size-capped scratch space and the existing files are read-only.
    readonly: {name: host file} shown in workdir as `name` and read-only (cached artefacts);
      without bubblewrap each is copied in instead (a copy, never a link to the cache).
    code_dirs: folders of trusted code the command imports (transverify's own packages for a
      Python harness), bound read-only at their own paths; one that would expose a private
      place (a home, the cache) is left out.
    """
    limits = limits or Limits()
    mode = isolation_mode()
    warnings: list[str] = []
    readonly = dict(readonly or {})
    out_path, err_path, in_path = workdir / ".stdout", workdir / ".stderr", workdir / ".stdin"
    in_path.write_bytes(stdin)
    if mode == "bwrap":
        private = _private_places()
        extra = tool_binds(argv[0], private, workdir) if argv else []
        for folder in code_dirs or []:
            folder = os.path.realpath(folder)
            if os.path.isdir(folder) and not any(p == folder or p.startswith(folder + os.sep) for p in private):
                extra += ["--ro-bind", folder, folder]
        prefix = bwrap_command(workdir, writable=None if writable is None else list(writable), readonly=readonly,
                               extra_binds=extra, scratch_bytes=limits.scratch_mb << 20)
    else:
        for name, source in readonly.items():
            (workdir / name).unlink(missing_ok=True)
            shutil.copyfile(source, workdir / name)
            os.chmod(workdir / name, 0o444)
        if mode == "unshare":
            prefix = unshare_command()
            warnings.append("sandbox: bubblewrap unavailable; file system is not isolated (pid and network "
                            "namespaces only): isolation is weak")
        else:
            prefix = []
            become_subreaper()
            warnings.append("sandbox: no bubblewrap or unshare; running with resource limits only (no network or "
                            "file-system isolation): isolation is weak")
    drop, sandbox_uid = _drop_privileges_prefix(workdir)
    command = prefix + drop + list(argv)

    token = secrets.token_hex(8)
    run_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(workdir),
               "TMPDIR": "/tmp" if mode == "bwrap" else str(workdir), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    if trusted_env:
        run_env = {**os.environ, **run_env}
    if env:
        run_env.update(env)
    run_env["TRANSVERIFY_RUN"] = token  # marks escaped processes of this run (see sandbox_reaper)

    start = time.monotonic()
    timed_out = cancelled = memory_exceeded = False
    with open(out_path, "wb") as out, open(err_path, "wb") as err, open(in_path, "rb") as inp:
        proc = subprocess.Popen(command, cwd=workdir, stdin=inp, stdout=out, stderr=err, env=run_env,
                                start_new_session=True, preexec_fn=_limit_setter(limits))
        watch = ProcessWatch(proc.pid, f"TRANSVERIFY_RUN={token}", sandbox_uid)
        namespace = None
        rss_limit = limits.watched_rss_mb << 20
        next_check = start
        try:
            deadline = start + limits.timeout
            while True:
                try:
                    proc.wait(timeout=0.02)
                    break
                except subprocess.TimeoutExpired:
                    if namespace is None and mode in ("bwrap", "unshare"):
                        namespace = _child_pid_namespace(proc.pid)
                    if cancel is not None and cancel.is_set():
                        cancelled = True
                        break
                    now = time.monotonic()
                    if now >= deadline:
                        timed_out = True
                        break
                    if now >= next_check:
                        next_check = now + WATCH_INTERVAL
                        if watch.scan() > rss_limit:
                            memory_exceeded = True
                            break
        finally:
            _kill_tree(proc)
            wall = time.monotonic() - start
            watch.kill_all()
            if namespace is not None:
                _reap_namespace(namespace)
    stdout = _read_capped(out_path, limits.output_bytes)
    stderr = _read_capped(err_path, limits.output_bytes)
    for path in (out_path, err_path, in_path):
        path.unlink(missing_ok=True)
    if cancelled:
        raise Cancelled()
    code = proc.returncode
    signal_name = None
    if code is not None and code < 0:
        signal_name = signal.Signals(-code).name
    elif code is not None and code > 128 and mode in ("bwrap", "unshare") and not timed_out:
        # The namespace's init reports a killed child as 128+signal.
        try:
            signal_name = signal.Signals(code - 128).name
        except ValueError:
            pass
    ended = timed_out or memory_exceeded
    return RunOutcome(returncode=None if ended else code, stdout=stdout, stderr=stderr, wall_time=wall,
                      timed_out=timed_out, signal_name=None if ended else signal_name,
                      memory_exceeded=memory_exceeded, memory_limit_mb=limits.watched_rss_mb,
                      time_limit=limits.timeout, output_limit_bytes=limits.output_bytes,
                      isolation=mode, warnings=warnings)


def _kill_tree(proc: subprocess.Popen) -> None:
    """Kill the process group (and with it, a pid namespace's every process)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _child_pid_namespace(pid: int) -> str | None:
    """The pid namespace of the sandbox launcher's first child (e.g. 'pid:[4026532…]'), if it has one."""
    try:
        own = os.readlink("/proc/self/ns/pid")
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            children = handle.read().split()
        for child in children:
            link = os.readlink(f"/proc/{child}/ns/pid")
            if link != own:
                return link
    except OSError:
        pass
    return None


def _reap_namespace(namespace: str, patience: float = 5.0) -> None:
    """Kill every process still in the sandbox's pid namespace and wait until none is left.

    The kernel kills them when the namespace's init dies, but not instantly: a fork
    spree's children can linger for most of a second, and the caller is promised that
    nothing outlives run().
    """
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        survivors = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                if os.readlink(f"/proc/{entry}/ns/pid") == namespace and not _is_zombie(entry):
                    survivors.append(int(entry))
            except OSError:
                continue
        if not survivors:
            return
        for pid in survivors:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.01)


def _is_zombie(pid: str) -> bool:
    """Dead and waiting for its (host) parent to collect it: it runs nothing any more."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except (OSError, IndexError):
        return True


def _read_capped(path: Path, limit: int) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(limit)
    except OSError:
        return b""
