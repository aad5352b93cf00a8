"""The loop's private temporary folder, and clean-up after a loop that was killed.

Each running loop holds an exclusive lock (flock) on `owner.lock` in its folder
/tmp/transverify-loop-*; the file names the dialogue and the record store.  The
kernel drops the lock when the process dies, however it dies (kill -9 included),
so the next loop to start can tell a dead owner from a live one without trusting
process ids: it marks the dead owner's dialogue `interrupted` (if it is still
`running`) and removes the folder.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from ..records import RecordStore, RecordStoreError

PREFIX = "transverify-loop-"
LOCK_NAME = "owner.lock"
UNLOCKED_GRACE = 6 * 3600.0  # seconds: a folder without a lock file may be one being set up right now


class LoopFolder:
    def __init__(self) -> None:
        self.path = Path(tempfile.mkdtemp(prefix=PREFIX))
        self.path.chmod(0o755)  # the sandboxed compiler runs as an unprivileged user
        self._lock = os.open(self.path / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def claim(self, dialogue_id: str | None, store: RecordStore | None) -> None:
        """Say which dialogue this folder belongs to, for whoever cleans up after a crash."""
        record = {"dialogue_id": dialogue_id, "store": str(store.path) if store is not None else None,
                  "pid": os.getpid()}
        os.ftruncate(self._lock, 0)
        os.pwrite(self._lock, json.dumps(record).encode(), 0)

    def close(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        try:
            os.close(self._lock)
        except OSError:
            pass


def recover_interrupted(store: RecordStore | None) -> list[str]:
    """Mark the dialogues of dead loops `interrupted` and remove their folders; returns their ids."""
    marked = []
    for folder in Path(tempfile.gettempdir()).glob(PREFIX + "*"):
        try:
            owner = _dead_owner(folder)
        except OSError:
            continue
        if owner is None:
            continue
        dialogue_id = owner.get("dialogue_id")
        if dialogue_id and owner.get("store") and _mark(owner["store"], dialogue_id, store):
            marked.append(dialogue_id)
        shutil.rmtree(folder, ignore_errors=True)
    return marked


def _dead_owner(folder: Path) -> dict | None:
    """The owner record of a folder whose loop is gone, {} when it has none, None while it lives."""
    if not folder.is_dir() or folder.is_symlink() or folder.stat().st_uid != os.getuid():
        return None
    lock = folder / LOCK_NAME
    if not lock.exists():
        return {} if time.time() - folder.stat().st_mtime > UNLOCKED_GRACE else None
    handle = os.open(lock, os.O_RDWR)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return None  # a live loop holds it
        text = os.pread(handle, 4096, 0).decode("utf-8", "replace")
    finally:
        os.close(handle)  # releases the lock taken for the check
    try:
        owner = json.loads(text) if text.strip() else {}
    except ValueError:
        owner = {}
    return owner if isinstance(owner, dict) else {}


def _mark(store_path: str, dialogue_id: str, current: RecordStore | None) -> bool:
    same = current is not None and Path(current.path).resolve() == Path(store_path).resolve()
    if not same and not Path(store_path).is_file():
        return False
    store = current if same else RecordStore(Path(store_path))
    try:
        if not store.enabled:
            return False
        record = store.dialogue(dialogue_id)
        if record is None or record["status"] != "running":
            return False
        rounds = sum(1 for turn in record["turns"] if turn["agent"] == "solver")
        store.finish_dialogue(dialogue_id, "interrupted", None, None, rounds)
        return True
    except RecordStoreError:
        return False
    finally:
        if not same:
            store.close()
