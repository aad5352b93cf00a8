"""Where tuning records live: <cache>/tvm/<target key>/<workload hash>/.

MetaSchedule's database lookup ignores the target, so records of different machines
must not share a database: the directory is keyed by the CPU model, the cores used and
a digest of the ISA flags.  Records ranked on candidates built with other compiler flags
(`-ffast-math`) rank other code, so those flags are part of the key too (a `-fast-math`
suffix names such folders).  Within it, one JSON database per workload, keyed by the
structural hash of the workload at its tuning shape (the hash changes with names, the
shape and flat vs multi-dimensional buffers, which is what must change it).
Directories are private to the user (0700), as the verifier's cache.
"""

from __future__ import annotations

import hashlib
import os
import platform
import re
from pathlib import Path

from ...verify.cache import cache_root, make_private_dirs


def cpu_description() -> tuple[str, str]:
    """(model name, ISA flags) from /proc/cpuinfo, or what platform says elsewhere."""
    model, flags = platform.processor() or platform.machine(), ""
    try:
        for line in Path("/proc/cpuinfo").read_text(errors="replace").splitlines():
            key, _, value = line.partition(":")
            key = key.strip()
            if key == "model name" and model == (platform.processor() or platform.machine()):
                model = value.strip()
            elif key in ("flags", "Features") and not flags:
                flags = " ".join(sorted(value.split()))
    except OSError:
        pass
    return model, flags


def tuning_threads() -> int:
    """The cores tuning measures on (and the emitted code is meant to use)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def target_key(build_flags: tuple[str, ...] = ()) -> str:
    """build_flags: compiler flags the candidates are built with beyond tune_measure's own
    (none, or verify's fast-math flags); records made with other flags live elsewhere."""
    model, flags = cpu_description()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", model).strip("-")[:48] or "cpu"
    extra = " ".join(build_flags)
    # Without extra flags the key is what it always was, so existing records stay valid.
    digest = hashlib.sha256(f"{model}\n{flags}\n{platform.machine()}".encode()
                            + (f"\n{extra}".encode() if extra else b"")).hexdigest()[:12]
    suffix = "-fast-math" if "-ffast-math" in build_flags else ""
    return f"{slug}-{tuning_threads()}c-{digest}{suffix}"


def workload_dir(workload_hash: str, options_cache_dir=None, create: bool = True,
                 build_flags: tuple[str, ...] = ()) -> Path:
    path = cache_root(options_cache_dir) / "tvm" / target_key(build_flags) / workload_hash
    if create:
        make_private_dirs(path)
    return path


def workload_hash(mod) -> str:
    import tvm_ffi

    return f"{int(tvm_ffi.structural_hash(mod)) & ((1 << 64) - 1):016x}"


def repair_records(folder: Path) -> None:
    """Drop a last line cut short by a stopped tuning run (JSON lines; the loader would refuse the file)."""
    import json

    for name in ("database_tuning_record.json", "database_workload.json"):
        path = folder / name
        if not path.is_file():
            continue
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        good = []
        for line in lines:
            try:
                json.loads(line)
            except ValueError:
                continue
            good.append(line)
        if len(good) != len(lines):
            path.write_text("".join(line + "\n" for line in good), encoding="utf-8")
