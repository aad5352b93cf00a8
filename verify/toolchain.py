"""Compilers: find them, name their versions, and run them inside the sandbox.

Public functions:
  find_tool(name, overrides) -> str        path of "gfortran", "gxx", "gcc" or "nvcc";
                                           honours VerifyOptions.toolchain overrides and
                                           TRANSVERIFY_<NAME> environment variables; raises
                                           ToolMissing (a VerifyInputError) with an install hint.
  tool_version(path) -> str                first line of `path --version` (remembered per binary).
  fast_linker_flags() -> list[str]         `-fuse-ld=mold|lld|gold` when one is installed.
  compile_in_sandbox(argv, workdir, output, timeout=, cancel=, readonly=) -> CompileOutcome
                                           runs one compiler command in the sandbox, so a
                                           compile has a wall-clock limit (the caller passes
                                           VerifyOptions.compile_timeout) and can be cancelled;
                                           a timed-out compile says "timed out while compiling".

Compiles run in the sandbox too: the input is untrusted (a `#include "/dev/zero"`
or a template bomb must not hang the editor) and cancellation must be prompt.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import sandbox
from .cache import cache_root, content_key, write_atomic
from .errors import VerifyInputError

# The executable looked up for each logical tool name, in order of preference.
_CANDIDATES = {
    "gfortran": ["gfortran", "gfortran-12", "gfortran-13", "gfortran-14"],
    "gxx": ["g++", "g++-12", "g++-13", "g++-14"],
    "gcc": ["gcc", "gcc-12", "gcc-13", "gcc-14"],
    "nvcc": ["nvcc", "/usr/local/cuda/bin/nvcc"],
}
_INSTALL_HINTS = {
    "gfortran": "install it with `apt-get install -y gfortran` (or run scripts/setup.sh)",
    "gxx": "install it with `apt-get install -y g++`",
    "gcc": "install it with `apt-get install -y gcc`",
    "nvcc": "install the CUDA toolkit, or pass its path in the toolchain overrides",
}
COMPILE_MEMORY_MB = 8192  # cc1plus on template-heavy code needs more than a test run
COMPILE_SCRATCH_MB = 1024  # the sandbox's /tmp, where the compiler puts its temporary files
COMPILE_TIMEOUT = 60.0  # seconds per compile step: VerifyOptions.compile_timeout's default


class ToolMissing(VerifyInputError):
    """A required compiler is not installed (bad environment: exit 2)."""


@dataclass
class CompileOutcome:
    ok: bool
    output: str  # compiler stdout + stderr, as the compiler wrote it
    binary: Path | None  # the produced file when ok
    command: list[str] = field(default_factory=list)
    wall_time: float = 0.0
    timed_out: bool = False
    warnings: list[str] = field(default_factory=list)  # sandbox degradations


def find_tool(name: str, overrides: dict[str, str] | None = None) -> str:
    """Path of the tool `name` ("gfortran", "gxx", "gcc", "nvcc")."""
    override = (overrides or {}).get(name) or os.environ.get(f"TRANSVERIFY_{name.upper()}")
    if override:
        found = shutil.which(override)
        if not found:
            raise ToolMissing(f"{name} override '{override}' is not an executable", construct=name,
                              stage="compile_source")
        return found
    for candidate in _CANDIDATES.get(name, [name]):
        found = shutil.which(candidate)
        if found:
            return found
    raise ToolMissing(f"{name} not found on PATH; {_INSTALL_HINTS.get(name, 'install it')}", construct=name,
                      stage="compile_source")


@lru_cache(maxsize=None)
def tool_version(path: str) -> str:
    """First line of `path --version`, e.g. 'GNU Fortran (Debian 12.2.0-14) 12.2.0'.

    Remembered in the cache directory per (path, size, mtime) of the executable, so a
    command-line call does not pay a compiler launch just to learn its version."""
    memo = _version_memo(path)
    if memo is not None:
        try:
            remembered = memo.read_text().strip()
            if remembered:
                return remembered
        except OSError:
            pass
    version = _ask_version(path)
    if memo is not None and not version.startswith("unknown"):
        write_atomic(memo, version)
    return version


def _version_memo(path: str) -> Path | None:
    try:
        stat = os.stat(os.path.realpath(path))
    except OSError:
        return None
    key = content_key("version-1", path, str(stat.st_size), str(stat.st_mtime_ns))
    return cache_root() / "probes" / f"version-{key[:24]}"


def _ask_version(path: str) -> str:
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"unknown ({exc.__class__.__name__})"
    lines = (out.stdout or out.stderr).strip().splitlines()
    # nvcc puts the release on its last line.
    if lines and "nvcc" in os.path.basename(path):
        return lines[-1].strip()
    return lines[0].strip() if lines else "unknown"


@lru_cache(maxsize=1)
def fast_linker_flags() -> list[str]:
    """`-fuse-ld=` for the fastest linker installed (mold, lld, gold), else none.

    Linking a small driver with the default BFD ld took 0.11-0.27 s here, gold 0.02-0.13 s;
    the binary behaves the same."""
    for linker, flag in (("ld.mold", "mold"), ("ld.lld", "lld"), ("ld.gold", "gold")):
        if shutil.which(linker):
            return [f"-fuse-ld={flag}"]
    return []


def compile_in_sandbox(argv: list[str], workdir: Path, output: Path | None, *, timeout: float = COMPILE_TIMEOUT,
                       cancel: threading.Event | None = None, env: dict[str, str] | None = None,
                       readonly: dict[str, Path] | None = None) -> CompileOutcome:
    """Run one compiler command in `workdir` under the sandbox.

    `output` is the file the command should produce (checked to exist); pass None
    for commands that only check syntax. `readonly` maps names in `workdir` to cached
    files shown read-only (sandbox.run). Raises verify.errors.Cancelled when `cancel` is set.
    """
    limits = sandbox.Limits(timeout=timeout, memory_mb=COMPILE_MEMORY_MB, rss_mb=COMPILE_MEMORY_MB,
                            cpu_seconds=int(timeout) + 5, output_bytes=64 * 1024 * 1024, max_processes=64,
                            scratch_mb=COMPILE_SCRATCH_MB)
    outcome = sandbox.run(argv, workdir, limits, env=env, cancel=cancel, readonly=readonly)
    text = outcome.stdout_text + outcome.stderr_text
    ok = outcome.returncode == 0 and (output is None or output.exists())
    if outcome.timed_out:
        text += (f"\ntimed out while compiling with {os.path.basename(argv[0])} (limit {timeout:g} s, "
                 "--compile-timeout); killed with its whole process tree")
    elif outcome.returncode != 0 and not text.strip():
        text = f"compiler {outcome.describe_failure()}"
    return CompileOutcome(ok=ok, output=text, binary=output if ok else None, command=list(argv),
                          wall_time=outcome.wall_time, timed_out=outcome.timed_out, warnings=outcome.warnings)
