"""What a sandboxed command sees: the bubblewrap and unshare command lines, and how strong each is.

bubblewrap starts from an empty root and mounts only what compilers and programs need:
  /usr, /bin, /sbin, /lib*        read-only (merged-/usr symlinks are recreated as symlinks)
  /etc                            a read-only allowlist (dynamic loader, alternatives, time zone,
                                  passwd/group/nsswitch); nothing that can hold a secret
  toolchain directories           read-only: the installation of any compiler outside /usr
  /dev, /proc                     a minimal /dev and the sandbox's own /proc
  /tmp, /dev/shm                  fresh tmpfs, size-capped
  the work directory              read-write for compiles; for runs a size-capped tmpfs in which
                                  the existing files are bound read-only and only the named
                                  output files read-write
Never: $HOME, /root, /home, /run, /var (so no host Unix sockets, no records store, no
config, no cache: a cached artefact enters only as a read-only bind of that one file).
"""

from __future__ import annotations

import glob
import os
import subprocess
from functools import lru_cache
from pathlib import Path

SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
# /etc entries compilers, the dynamic loader and C runtimes read. No ssh, ssl/private,
# shadow, credentials, or application settings.
ETC_ALLOWLIST = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "alternatives", "localtime", "timezone",
                 "nsswitch.conf", "passwd", "group", "host.conf", "hosts", "os-release", "debian_version",
                 "lsb-release", "gai.conf", "protocols", "mime.types", "gcc", "OpenCL", "nvidia", "glvnd")
# Tool installations are bound read-only; none of these (or anything above them) ever is.
_NEVER_BIND = ("/", "/home", "/root", "/tmp", "/var", "/run", "/etc", "/opt", "/srv", "/mnt", "/media")

STRONG, WEAK = "strong", "weak"
NOTES = {
    "bwrap": "bubblewrap: read-only system and toolchain directories only (no home, /run, /var or host /tmp), "
             "size-capped scratch space, no network, no host sockets, own pid namespace",
    "unshare": "util-linux unshare: no network and an own pid namespace, but the whole file system is visible "
               "with the user's rights (secrets in $HOME readable, cache writable); install bubblewrap",
    "none": "no namespaces: resource limits and process-tree killing only; the candidate runs with the user's "
            "rights and network; install bubblewrap",
}


def isolation_report(mode: str) -> dict[str, str]:
    """The `sandbox` field of a verify result: {"kind", "isolation": "strong"|"weak", "note"}."""
    note = NOTES.get(mode, "")
    if mode == "bwrap" and not bwrap_sizes_tmpfs():
        note += "; this bubblewrap (older than 0.7) cannot size-cap scratch space: only per-file limits apply"
    return {"kind": mode, "isolation": STRONG if mode == "bwrap" else WEAK, "note": note}


@lru_cache(maxsize=1)
def bwrap_sizes_tmpfs() -> bool:
    """Whether the installed bubblewrap has `--size` for tmpfs (0.7 and later)."""
    try:
        shown = subprocess.run(["bwrap", "--help"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return False
    return "--size" in shown.stdout + shown.stderr


def _within(path: str, roots: tuple[str, ...]) -> bool:
    return any(path == root or path.startswith(root.rstrip("/") + "/") for root in roots)


def tool_binds(argv0: str, private: list[str], workdir: Path) -> list[str]:
    """Read-only binds that make a compiler outside the system directories runnable.

    Its installation root (the parent of its bin/) is bound, unless that would expose a
    private place (a home, the cache): then its directory, else the executable alone."""
    binds: list[str] = []
    for path in dict.fromkeys([argv0, os.path.realpath(argv0)]):
        if (not os.path.isabs(path) or _within(path, SYSTEM_DIRS + (str(workdir),))
                or not os.path.exists(path)):
            continue
        bin_dir = os.path.dirname(path)
        choices = ([os.path.dirname(bin_dir)] if os.path.basename(bin_dir) == "bin" else []) + [bin_dir, path]
        for target in choices:
            if target not in _NEVER_BIND and not any(_within(p, (target,)) for p in private):
                binds += ["--ro-bind", target, target]
                break
    return binds


def bwrap_command(workdir: Path, *, writable: list[str] | None, readonly: dict[str, Path],
                  extra_binds: list[str], scratch_bytes: int) -> list[str]:
    """The bwrap prefix for one command in `workdir` (see the module docstring)."""
    work = str(workdir)
    args = ["bwrap", "--die-with-parent", "--new-session", "--unshare-net", "--unshare-pid", "--unshare-ipc",
            "--unshare-uts"]
    for top in SYSTEM_DIRS:
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    made: set[str] = set()
    args += _parents("/etc/x", made)  # bubblewrap would create /etc 0700: unreadable after the uid drop
    for name in ETC_ALLOWLIST:
        args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    triples = [extra_binds[index:index + 3] for index in range(0, len(extra_binds), 3)]
    # Binds below /tmp or /dev/shm (a toolchain or an install in a temporary folder) go after
    # the private tmpfs mounts there, which would otherwise hide them.
    late = [t for t in triples if _within(t[2], ("/tmp", "/dev/shm"))]
    for triple in (t for t in triples if t not in late):
        args += _parents(triple[2], made) + triple
    size = ["--size", str(scratch_bytes)] if bwrap_sizes_tmpfs() else []
    args += ["--dev", "/dev", "--proc", "/proc",
             "--perms", "1777", *size, "--tmpfs", "/tmp",
             "--perms", "1777", *size, "--tmpfs", "/dev/shm"]
    for triple in late:
        args += _parents_in_tmpfs(triple[2], made) + triple
    if not _within(work, ("/tmp",)):
        args += _parents(work, made)
    if writable is None:
        args += ["--bind", work, work]
    else:
        # A run: whatever it writes lands in a size-capped tmpfs, except the declared outputs.
        args += ["--perms", "0777", *size, "--tmpfs", work]
        for entry in sorted(os.listdir(workdir)):
            if entry in writable or entry in readonly:
                continue
            path = f"{work}/{entry}"
            args += ["--ro-bind", path, path]
        for name in writable:
            path = workdir / name
            if not path.exists():
                path.touch()
            path.chmod(0o666)
            args += ["--bind", str(path), str(path)]
    for name, source in readonly.items():
        args += ["--ro-bind", str(source), f"{work}/{name}"]
    if glob.glob("/dev/nvidia*"):
        for node in sorted(glob.glob("/dev/nvidia*")):
            args += ["--dev-bind-try", node, node]
        args += ["--ro-bind-try", "/sys", "/sys"]  # the CUDA driver enumerates devices there
    args += ["--chdir", work, "--setenv", "TMPDIR", "/tmp", "--"]
    return args


def _parents_in_tmpfs(path: str, made: set[str]) -> list[str]:
    """Like _parents, for a path inside the private /tmp or /dev/shm: its ancestors below
    those mounts are made readable too."""
    args: list[str] = []
    parts = Path(path).parent.parts[1:]
    for depth in range(1, len(parts) + 1):
        directory = "/" + "/".join(parts[:depth])
        if directory in made or directory in ("/tmp", "/dev", "/dev/shm"):
            continue
        made.add(directory)
        args += ["--perms", "0755", "--dir", directory]
    return args


def _parents(path: str, made: set[str]) -> list[str]:
    """`--dir` (mode 0755) for every ancestor of `path` below /, so that the unprivileged uid
    the sandbox runs as can reach it (bubblewrap creates missing ones as 0700)."""
    args: list[str] = []
    parts = Path(path).parent.parts[1:]
    for depth in range(1, len(parts) + 1):
        directory = "/" + "/".join(parts[:depth])
        if directory in made or _within(directory, SYSTEM_DIRS + ("/tmp", "/dev", "/proc")):
            continue
        made.add(directory)
        args += ["--perms", "0755", "--dir", directory]
    return args


def unshare_command() -> list[str]:
    """util-linux unshare: own network and pid namespaces; an ordinary user needs a user namespace."""
    user = ["--user", "--map-root-user"] if os.geteuid() != 0 else []
    return ["unshare", *user, "--net", "--pid", "--fork", "--kill-child", "--mount-proc"]
