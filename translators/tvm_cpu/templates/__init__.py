"""Operator templates for kernels the one-thread lifter refuses (shared memory, barriers,
atomics, warp shuffles, data-dependent loops).

The entry's signature and cheap structural cues of its kernels rank candidate templates
(`library.py`); each candidate is built as a TVM TE workload, scheduled and emitted like a
lifted kernel, and verified against the .cu with the CUDA -> CPU pair (the .cu runs on the
CPU execution layer).  Only a verified candidate is kept.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import load_tvm
from ..errors import Unliftable
from ..host_loop import HOST_LOOP_CONSTRUCTS
from .library import MULTI_KERNEL, TEMPLATES

MAX_CANDIDATES = 4  # verifications per kernel: each one compiles and runs both sides

# Refusals of the lifter that a recognised algorithm can stand in for.
_BLOCK_LEVEL = re.compile(r"^(__shared__|__syncthreads\w*|__syncwarp|__shfl\w*|__ballot_sync|__any_sync|__all_sync|"
                          r"__activemask|atomic\w+|__threadfence\w*|__match\w*|__reduce\w*|data-dependent loop|loop-carried variable|"
                          r"return type|return|launch argument|while|do|break|continue|for|bounds guard)$")
_SEVERAL_LAUNCHES = re.compile(r"launches (\d+ kernels|no kernel|a kernel inside a host loop|a kernel under a condition)")


@dataclass
class Recognised:
    template: str | None = None
    variant: str = ""
    code: str = ""
    kernel: str = ""
    entry: str = ""
    decisions: list = field(default_factory=list)
    host: object = None
    result: object = None  # the VerifyResult that kept it
    tried: list = field(default_factory=list)  # "template (variant): why it was not kept"
    shapes: dict = field(default_factory=dict)  # pointer param -> element count expression (for timing)
    gemm: dict | None = None  # the GEMM layout, for the OpenBLAS baseline of the timing
    built: object = None  # the kept candidate's library.Built (its workload, for tuning)

    def lengths_at(self, values: dict) -> dict:
        """Array lengths at integer parameter values (for the speed report)."""
        from ....verify.cuda.extents import evaluate

        lengths = {}
        for name, expr in self.shapes.items():
            try:
                lengths[name] = max(1, int(evaluate(expr, values)))
            except Exception:  # noqa: BLE001 - an extent over a non-integer parameter: one element
                lengths[name] = 1
        return lengths

    def tried_words(self) -> str:
        if not self.tried:
            return "no operator template matches the entry's signature (templates: " + ", ".join(TEMPLATES) + ")"
        return "operator templates tried: " + "; ".join(self.tried)


def applies(refusal: Unliftable) -> bool:
    """Whether the lifter's refusal is one a recognised algorithm can stand in for."""
    if refusal.construct == "kernel launch" and _SEVERAL_LAUNCHES.search(refusal.message or ""):
        return True  # a scan's second pass over the block sums, or launches in a helper the entry calls
    if refusal.construct in HOST_LOOP_CONSTRUCTS:
        return True  # a host loop of launches the lifter cannot follow (a scan's passes over doubling strides)
    return bool(_BLOCK_LEVEL.match(refusal.construct or ""))


def recognise(path: Path, entry: str | None, options, progress=None) -> Recognised:
    """The first candidate template that verifies against the .cu (`template` None if none did)."""
    from ....verify import verify
    from ..emit import EmitError
    from .cues import read_cues
    from .emitting import emit_candidate
    from .library import propose_all

    load_tvm()

    cues = read_cues(Path(path), entry, options.shapes, options.values)
    found = Recognised(kernel=", ".join(cues.kernels), entry=cues.host.name, host=cues.host, shapes=cues.shapes)
    candidates = propose_all(cues)[:MAX_CANDIDATES]
    if len(cues.kernels) != 1 and not candidates:
        found.tried.append(f"none: {cues.host.name} launches {len(cues.kernels)} kernels; templates other than "
                           f"{' and '.join(sorted(MULTI_KERNEL))} stand in for one")
        return found
    for candidate in candidates:
        if options.cancel is not None and options.cancel.is_set():
            found.tried.append("stopped: cancelled")
            break
        label = f"{candidate.template} ({candidate.variant})"
        if progress:
            progress(f"trying operator template {label}")
        try:
            built = candidate.build()
            code, decisions = emit_candidate(candidate, built, cues, Path(path))
        except EmitError as exc:
            found.tried.append(f"{label}: not emitted ({exc})")
            continue
        except Exception as exc:  # noqa: BLE001 - TVM's own checks on the workload: this candidate is out
            first = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
            found.tried.append(f"{label}: TVM refused it ({first[:160]})")
            continue
        result = _verify(verify, Path(path), code, options)
        for ranges in candidate.extra_ranges if result.ok else []:
            result = _verify(verify, Path(path), code, replace(options, ranges={**options.ranges, **ranges}))
            if not result.ok:
                result.message = f"with {', '.join(f'{k}={v}' for k, v in ranges.items())}: {result.message}"
                break
        if result.ok:
            found.template, found.variant, found.code, found.decisions, found.result, found.gemm = (
                candidate.template, candidate.variant, code, decisions, result, built.gemm)
            found.built = built
            return found
        found.tried.append(f"{label}: not verified ({_first_line(result.message)})")
        if result.verdict == "error":  # the .cu or the options, not this candidate: the next would meet it too
            found.tried.append("the others not tried: the source cannot be verified as given")
            break
    return found


def _verify(verify, source: Path, code: str, options):
    folder = Path(tempfile.mkdtemp(prefix="transverify-tvm-template-"))
    try:
        folder.chmod(0o755)
        candidate = folder / f"{source.stem}_cpu.cpp"
        candidate.write_text(code, encoding="utf-8")
        candidate.chmod(0o644)
        return verify(source, candidate, options)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _first_line(message: str) -> str:
    line = (message or "").strip().splitlines()[0] if (message or "").strip() else "no message"
    return line if len(line) <= 160 else line[:157] + "..."
