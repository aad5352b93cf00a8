"""Precompiled headers, to cut compile time: the standard headers translations use, and the
CUDA CPU execution layer's runtime header.

Parsing <algorithm>, <cmath> and <vector> is most of the time g++ spends on a small
translation (measured: ~0.75 s without, ~0.25 s with the PCH); parsing the runtime header
is most of a .cu side's build on the CPU layer (measured: 2.7 s without, 1.2 s with, under
AddressSanitizer). A PCH is a toolchain artifact, cached like compiled references (keyed by
compiler version, flags and the header's text).

Public API:
  cached_pch(gxx, version, flags, cache, header=STD_HEADER) -> Path | None
      the cached .gch of `header` (a Header: file name and text) for exactly these flags, or
      None; when missing, starts one detached background build (at most one at a time) so
      later verifications get it; this one compiles without.
  stage_pch(gch, workdir) -> (flags, readonly)
      writes tv_std.h into the sandbox's directory; returns the g++ flags that use the PCH
      and the {name: cached file} map to pass as sandbox.run(readonly=...): the cached .gch
      enters the sandbox read-only (a read-only bind, or a copy), never as a hard link, so
      nothing a candidate does can reach the cache. GCC silently falls back to the plain
      header if the PCH does not match.
Callers retry a failed (not a timed-out) compile without the PCH, so it can never change a
verdict.
"""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from .cache import ArtifactCache, content_key, make_private_dirs



@dataclass(frozen=True)
class Header:
    name: str  # the file name the compiled code includes (its .gch sits beside it)
    text: str


HEADER_NAME = "tv_std.h"
STD_HEADERS = ["cstdio", "cstdlib", "cstring", "cstdint", "type_traits", "cmath", "algorithm", "vector",
               "numeric", "limits", "array", "string", "iostream", "iomanip"]
HEADER_TEXT = "".join(f"#include <{h}>\n" for h in STD_HEADERS)
STD_HEADER = Header(HEADER_NAME, HEADER_TEXT)
STALE_LOCK_SECONDS = 120


def _key(version: str, flags: list[str], header: Header) -> str:
    return content_key("pch-1", version, " ".join(flags), header.name, header.text)


def cached_pch(gxx: str, version: str, flags: list[str], cache: ArtifactCache,
               header: Header = STD_HEADER) -> Path | None:
    key = _key(version, flags, header)
    found = cache.get(key, header.name + ".gch")
    if found is None:
        _start_background_build(gxx, flags, cache.root / key[:2] / key, header)
    return found


def _start_background_build(gxx: str, flags: list[str], entry: Path, header_spec: Header) -> None:
    try:
        make_private_dirs(entry)
        lock = entry / ".building"
        if lock.exists() and time.time() - lock.stat().st_mtime > STALE_LOCK_SECONDS:
            lock.unlink(missing_ok=True)
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)  # only one builder at a time
        os.close(fd)
        header = entry / header_spec.name
        header.write_text(header_spec.text)
        target = entry / (header_spec.name + ".gch")
        # Trusted input (our own header), so no sandbox; detached so a CLI call need not wait.
        build = [gxx, *flags, "-x", "c++-header", str(header), "-o", f"{target}.tmp"]
        subprocess.Popen(["sh", "-c", _script(target, lock), "transverify-pch", *build], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                         close_fds=True)
    except OSError:
        pass  # a read-only or busy cache only means no PCH


def _script(target: Path, lock: Path) -> str:
    """sh script: run the compiler given as arguments, publish the result atomically, release the lock."""
    return (f'"$@" >/dev/null 2>&1 && mv -f "{target}.tmp" "{target}"; '
            f'rm -f "{target}.tmp" "{lock}"')


def stage_pch(gch: Path, workdir: Path) -> tuple[list[str], dict[str, Path]]:
    header = workdir / HEADER_NAME
    header.write_text(HEADER_TEXT)
    header.chmod(0o444)
    return ["-include", HEADER_NAME], {HEADER_NAME + ".gch": gch}
