"""`translate --to cpu --solver tvm`: lift, schedule (the default CPU schedule), emit, verify.

`generate()` is the translation alone (raises Unliftable); `solve()` is what the
pipeline calls: it verifies the emitted C++ against the .cu with the CUDA->CPU
pair and returns the fields of a TranslateOutcome.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import Unliftable


@dataclass
class Generated:
    code: str
    kernel: str
    entry: str
    decisions: list[str]


def generate(path: Path, entry: str | None = None, progress=None) -> Generated:
    """The default-schedule translation (raises Unliftable)."""
    from .emit import EmitError, emit_function
    from .launch import find_launch
    from .lift import ThreadLifter
    from .schedule import default_schedule, lower
    from .te_build import build_prim_func

    launch = find_launch(Path(path), entry)
    host = launch.entry
    if host.return_dtype is not None:
        raise Unliftable("return type", host.line, f"{host.name} returns a value; only void entries are lifted")
    scalars = {p.name: p.dtype for p in host.params if not p.pointer}
    pointers = {p.name: p.dtype for p in host.params if p.pointer}
    lifted = ThreadLifter(launch.kernel, launch.binding, scalars, pointers).lift(launch.kernel_name)
    for out in lifted.outputs:
        param = next(p for p in host.params if p.name == out.buffer)
        if param.const:
            raise Unliftable("store", out.line, f"the kernel writes '{out.buffer}', a const input of {host.name}")
    _check_size_types(lifted, host)
    if progress:
        progress("building the TVM workload")
    try:
        workload = build_prim_func(lifted, host.params)
        blocks = [f"stage{k}" for k in range(len(lifted.stages))] + list(workload.outputs)
        mod, decisions = default_schedule(workload.func, blocks)
        lowered = lower(mod)
    except Exception as exc:  # noqa: BLE001 - TVM's own checks; report them as a refusal, not a crash
        first = str(exc).strip().splitlines()[-1] if str(exc).strip() else exc.__class__.__name__
        raise Unliftable("TVM", launch.launch_line, f"TVM cannot build kernel '{launch.kernel_name}': {first}") \
            from None
    names = {**workload.inputs, **workload.outputs}
    signature = ("extern \"C\" " if host.extern_c else "") + \
        f"void {host.name}({', '.join(p.declaration for p in host.params)})"
    header = [
        f"CPU equivalent of CUDA kernel '{launch.kernel_name}' (entry {host.name}, {Path(path).name}),",
        "lifted to TVM TE and emitted as C++17 + OpenMP (build with -fopenmp).",
        "Thread domain: " + ", ".join(f"{lifted.axis_origin.get(a, _axis_words(a))} < "
                                      f"{_extent_words(e)}" for a, e in lifted.extents.items()) + ".",
        "Schedule:",
        *[f"  {d}" for d in decisions],
    ]
    try:
        code = emit_function(lowered, names, workload.scalars, signature, header)
    except EmitError as exc:
        raise Unliftable("emission", None, str(exc)) from None
    return Generated(code=code, kernel=launch.kernel_name, entry=host.name, decisions=decisions)


def _check_size_types(lifted, host) -> None:
    """Loop extents are int32 in the workload; other integer types of size parameters are refused."""
    from .ir import symbols

    used = set()
    for extent in lifted.extents.values():
        used |= symbols(extent, ("param",))
    for stage in lifted.stages:
        used |= symbols(stage.hi, ("param",)) | symbols(stage.lo, ("param",))
    for param in host.params:
        if param.name in used and param.dtype != "int32":
            raise Unliftable(f"parameter {param.name}", param.line,
                             f"size parameter '{param.name}' is {param.type_text}; only int sizes are lifted")


def _axis_words(axis: str) -> str:
    d = {"gx": "x", "gy": "y", "gz": "z"}.get(axis)
    return f"blockIdx.{d}*blockDim.{d}+threadIdx.{d}" if d else axis


def _extent_words(e) -> str:
    from .ir import Sym, to_poly

    if isinstance(e, Sym):
        return e.name
    poly = to_poly(e)
    if poly is None:
        return "(expression)"
    terms = []
    for monomial, coeff in sorted(poly.items()):
        parts = ([str(coeff)] if coeff != 1 or not monomial else []) + list(monomial)
        terms.append("*".join(parts))
    return " + ".join(terms) or "0"


def solve(request, output: Path, options) -> dict:
    """The TranslateOutcome fields for the pipeline: exit 0 verified, 1 not verified, 2 not lifted."""
    from . import INSTALL_HINT, available
    from ...verify import verify
    from ..registry import Unsupported

    base = dict(code=None, exit_code=2, result=None, unsupported=[], dialogue_id=None, rounds=0,
                solver_used="tvm", message="")
    if not available():
        return {**base, "message": INSTALL_HINT}
    if request.tvm_trials > 0 or request.tvm_tune_seconds is not None:
        return {**base, "message": "MetaSchedule tuning (--trials N > 0, --tune-seconds) is not supported yet; "
                                   "--trials 0 gives the default schedule"}
    try:
        generated = generate(Path(request.source), request.entry or options.entry, progress=request.progress)
    except Unliftable as exc:
        return {**base, "unsupported": [Unsupported(exc.line, exc.construct, exc.message)],
                "message": f"{request.source}: {exc.describe()}"}
    if request.progress:
        request.progress("verifying the emitted C++ against the CUDA source")
    folder = Path(tempfile.mkdtemp(prefix="transverify-tvm-"))
    try:
        folder.chmod(0o755)
        candidate = folder / output.name
        candidate.write_text(generated.code, encoding="utf-8")
        candidate.chmod(0o644)
        result = verify(Path(request.source), candidate, options)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    outcome = {**base, "code": generated.code, "result": result, "rounds": 1,
               "details": "\n".join(["schedule:"] + [f"  {d}" for d in generated.decisions])}
    if result.ok:
        how = "default schedule"
        return {**outcome, "exit_code": 0,
                "message": f"verified equivalent on {result.cases} case(s) (TVM, {how}, kernel {generated.kernel})"}
    if result.stage in ("parse", "compile_source"):
        return {**outcome, "exit_code": 2, "code": None, "message": f"cannot verify: {result.message}"}
    return {**outcome, "exit_code": 1, "message": f"TVM translation not verified: {result.message}"}
