"""Where a record came from, without storing more than needed: the source path
only as a hash, the git commit of its repository when there is one."""

from __future__ import annotations

import hashlib
import subprocess
from datetime import datetime, timezone
from pathlib import Path


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()


def path_hash(path: Path | str | None) -> str | None:
    if path is None:
        return None
    return sha256_text(str(Path(path).resolve()))


def git_commit(path: Path | str | None) -> str | None:
    """HEAD of the git repository holding `path`, or None (not a repo, no git, slow)."""
    if path is None:
        return None
    folder = Path(path).resolve().parent
    try:
        done = subprocess.run(["git", "-C", str(folder), "rev-parse", "HEAD"], capture_output=True,
                              text=True, timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        return None
    commit = done.stdout.strip()
    return commit if done.returncode == 0 and len(commit) == 40 else None


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")
