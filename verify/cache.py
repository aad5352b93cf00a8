"""Content-addressed cache of compiled artifacts (reference binaries, their outputs).

Public API:
  cache_root(options_dir=None) -> Path      VerifyOptions.cache_dir, else $TRANSVERIFY_CACHE_DIR,
                                            else ~/.cache/transverify
  content_key(*parts) -> str                sha256 over str/bytes parts (sources, generated
                                            harness text, flags, compiler versions)
  write_atomic(path, text) -> None          small memo files (probe results); errors ignored
  ArtifactCache(root).get(key, name) -> Path | None
  ArtifactCache(root).put(key, name, source_path) -> Path
      atomic: a file is copied to a temp name and renamed, so concurrent verifications
      (editor + loop) never see half-written binaries. Executables keep their mode.

The key must cover everything that changes the artifact; callers include the
compiler version line and the engine's harness version.

Directories the cache creates are private to the user (0700): nothing in it is meant for
anyone else, and no sandboxed command ever sees it (docs/security.md).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path


def cache_root(options_dir: Path | str | None = None) -> Path:
    if options_dir:
        return Path(options_dir)
    env = os.environ.get("TRANSVERIFY_CACHE_DIR")
    if env:
        return Path(env)
    return Path.home() / ".cache" / "transverify"


def content_key(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def make_private_dirs(path: Path) -> None:
    """mkdir -p, with every directory it creates 0700."""
    missing = []
    while not path.exists() and path != path.parent:
        missing.append(path)
        path = path.parent
    for directory in reversed(missing):
        directory.mkdir(mode=0o700, exist_ok=True)


def write_atomic(path: Path, text: str) -> None:
    """Write a small file via rename, ignoring errors: a memo that cannot be kept is re-computed."""
    try:
        make_private_dirs(path.parent)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError:
        pass


class ArtifactCache:
    def __init__(self, root: Path | str):
        self.root = Path(root)

    def _entry(self, key: str) -> Path:
        return self.root / key[:2] / key

    def get(self, key: str, name: str) -> Path | None:
        path = self._entry(key) / name
        return path if path.is_file() else None

    def put(self, key: str, name: str, source: Path) -> Path:
        entry = self._entry(key)
        try:
            make_private_dirs(entry)
            fd, tmp = tempfile.mkstemp(dir=entry, prefix=f".{name}.")
            os.close(fd)
            shutil.copy2(source, tmp)
            os.chmod(tmp, 0o755)
            target = entry / name
            os.replace(tmp, target)
            return target
        except OSError:
            # A read-only or full cache must not fail a verification.
            return source

    def put_bytes(self, key: str, name: str, data: bytes) -> None:
        entry = self._entry(key)
        try:
            make_private_dirs(entry)
            fd, tmp = tempfile.mkstemp(dir=entry, prefix=f".{name}.")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, entry / name)
        except OSError:
            pass
