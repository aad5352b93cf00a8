"""Writing a result file safely: translations (`translate -o`) and record exports.

The text goes to a fresh temporary file created next to the target with
O_CREAT|O_EXCL|O_NOFOLLOW (a name planted in advance, a symlink included, is
never opened), is flushed to disk, then renamed over the target in one step.
Any failure removes the temporary file: nothing half-written is left behind.
"""

from __future__ import annotations

import os
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

PARTIAL_SUFFIX = ".transverify-partial"


class OutputRefused(Exception):
    """The target must not be replaced (read-only, not a regular file, or an unverified overwrite)."""


def check_replaceable(path: Path, *, unverified: bool, force: bool) -> None:
    """Raise OutputRefused when writing `path` would silently destroy something."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(info.st_mode):
        raise OutputRefused(f"{path}: is a directory; choose a file name with -o")
    if stat.S_ISLNK(info.st_mode):
        raise OutputRefused(f"{path}: is a symbolic link; transverify does not write through links "
                            "(remove it or choose another -o)")
    if not stat.S_ISREG(info.st_mode):
        raise OutputRefused(f"{path}: not a regular file; choose another -o")
    if not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK):
        raise OutputRefused(f"{path}: the file is read-only; make it writable (chmod u+w) or choose another -o")
    if unverified and not force:
        raise OutputRefused(f"{path}: exists and the translation is NOT verified, so it was not replaced; "
                            "pass --force to overwrite it anyway, or choose another -o")


@contextmanager
def atomic_writer(path: Path, mode: int | None = None) -> Iterator[IO[str]]:
    """A text handle whose content replaces `path` only if the block completes.

    mode: permission bits of the new file; None keeps an existing file's, else 0666 minus the umask."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if mode is None:
        mode = _existing_mode(path)
    fd, temporary = _create_exclusive(path)
    try:
        os.fchmod(fd, mode if mode is not None else 0o666 & ~_umask())
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            fd = -1
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise


def write_text(path: Path, text: str, mode: int | None = None) -> None:
    with atomic_writer(path, mode) as handle:
        handle.write(text)


def _create_exclusive(path: Path) -> tuple[int, str]:
    """A new file `.NAME.<random>.transverify-partial` beside path, opened O_EXCL|O_NOFOLLOW."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        name = f".{path.name}.{os.urandom(6).hex()}{PARTIAL_SUFFIX}"
        candidate = path.parent / name
        try:
            return os.open(candidate, flags, 0o600), str(candidate)
        except FileExistsError:
            continue
    raise FileExistsError(f"{path.parent}: cannot create a temporary file for {path.name}")


def _existing_mode(path: Path) -> int | None:
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return stat.S_IMODE(info.st_mode) if stat.S_ISREG(info.st_mode) else None


def _umask() -> int:
    """The process umask, read without changing it (os.umask would race with other threads)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022
