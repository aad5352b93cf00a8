"""`--trials N` for an operator template (templates/): its TE workload tuned like a lifted kernel's.

The recognised template's workload is made concrete at the tuning shape (integer sizes
pinned as for a lifted kernel, each input array given the length the verifier reads at
that shape), tuned through tuning.py (cache query first, per-target/per-workload folder,
child process with progress and cancellation), and the best records are replayed on it.
The emitted file has `<entry>_tuned` (the tuned schedule at that shape),
`<entry>_any_shape` (the template's default schedule) and the entry choosing between them;
an entry that returns a value computes it into a one-element buffer in both.

A template whose workload is a `te.extern` stage (the histogram's scatter) has no TE
stage for MetaSchedule to schedule: it raises NotTunable and keeps its default schedule.
"""

from __future__ import annotations

from pathlib import Path

from .errors import Unliftable
from .tuned_trace import replay, trace_words


class NotTunable(Exception):
    """Why this template cannot be tuned (it keeps its default schedule)."""


def tune_template(recognised, tuning, path: Path, progress=None, build_flags: str = "-fopenmp"):
    """The tuned translation of a recognised template: (code, decisions).  Fills in tuning.shape,
    tuning.record and tuning.used_rank as solver.generate does for a lifted kernel.  Raises
    NotTunable, Unliftable (nothing could be emitted), tuning.TuningFailed/TuningCancelled."""
    from .bounds import tuning_values
    from .emit import EmitError, Printer
    from .schedule import default_schedule, lower
    from .tuning import tuned_records

    built = recognised.built
    if built is None or not built.blocks:
        raise NotTunable(f"the operator template '{recognised.template}' is a te.extern stage (hand-written TIR), "
                         "which MetaSchedule cannot schedule; it keeps its default schedule")
    values = tuning_values(recognised.host, tuning.values)
    try:
        concrete = _at_shape(built, values, lambda buffer: _input_length(recognised, built, buffer, values))
    except NotTunable:
        raise
    except Exception as exc:  # noqa: BLE001 - TVM's own checks on the specialised workload
        first = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise NotTunable(f"TVM cannot fix the template's workload at the tuning shape ({first[:160]})") from None
    tuning.shape = values
    record = tuned_records(concrete, tuning.trials, tuning.seconds, tuning.cache_dir, progress, tuning.cancel,
                           tuning.fast_math)
    tuning.record = record
    # The default schedule for every other shape: what the template's untuned translation runs.
    default_mod, default_decisions = (built.schedule(built.func) if built.schedule
                                      else default_schedule(built.func, built.blocks))
    default_body = Printer(lower(default_mod), built.buffers, built.scalars).body()
    failures = []
    for rank, trace in enumerate(record.traces):
        try:
            tuned_body = Printer(lower(replay(concrete, trace)), built.buffers, []).body()
        except EmitError as exc:
            failures.append(str(exc))
            continue
        except Exception as exc:  # noqa: BLE001 - a record TVM cannot replay or lower here
            failures.append(str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__)
            continue
        tuning.used_rank = rank
        decisions = trace_words(trace)
        shape_words = ", ".join(f"{k} = {v}" for k, v in values.items())
        header = [*_header(recognised, built, path, build_flags),
                  f"Tuned by TVM MetaSchedule at {shape_words} ({record.trials} trials measured, "
                  f"{record.seconds:.0f} s); schedule:", *[f"  {d}" for d in decisions],
                  "Default schedule (every other shape):", *[f"  {d}" for d in default_decisions]]
        code = _dispatch(recognised.host, built, values, tuned_body, default_body, header)
        return code, decisions + ["default schedule (other shapes):"] + default_decisions
    raise Unliftable("emission", None, "no tuned schedule of the template could be emitted as C++: "
                     + "; ".join(failures[:2]))


def _input_length(recognised, built, buffer: str, values: dict) -> int:
    """An input array's length at the tuning shape: the extent the verifier reads (the template
    verified within it), evaluated at the tuning shape."""
    from ...verify.cuda.extents import evaluate

    host_name = built.buffers.get(buffer, buffer)
    expr = recognised.shapes.get(host_name)
    words = ", ".join(f"{k}={v}" for k, v in values.items())
    try:
        length = int(evaluate(expr, values)) if expr is not None else None
    except Exception:  # noqa: BLE001 - an extent over a parameter that has no value
        length = None
    if length is None:
        raise NotTunable(f"the length of '{host_name}' at the tuning shape ({words}) is unknown; "
                         "give the sizes with --value NAME=N")
    if length < 1:
        raise NotTunable(f"'{host_name}' has {length} elements at the tuning shape ({words}); "
                         "give the sizes with --value NAME=N")
    return length


def _at_shape(built, values: dict, length_of):
    """The workload with its size parameters pinned and every buffer of a concrete shape
    (`length_of(buffer name)`: the length of a flat input whose length is a free variable)."""
    from tvm import tirx

    mapping = {}
    for param in built.func.params:
        name = str(param.name)
        if name in built.scalars and name in values:
            mapping[param] = tirx.const(int(values[name]), "int32")
    func = built.func.specialize(mapping) if mapping else built.func
    mapping = {}
    for param in func.params:
        buffer = _buffer_of(func, param)
        if buffer is None or all(_constant(extent) for extent in buffer.shape):
            continue  # an output, or an input whose shape follows from the sizes
        if len(buffer.shape) != 1:
            raise NotTunable(f"the shape of '{buffer.name}' is not fixed at the tuning shape")
        mapping[param] = tirx.decl_buffer((length_of(str(buffer.name)),), buffer.dtype, name=str(buffer.name))
    func = func.specialize(mapping) if mapping else func
    for param in func.params:
        buffer = _buffer_of(func, param)
        if buffer is not None and not all(_constant(extent) for extent in buffer.shape):
            raise NotTunable(f"the shape of '{buffer.name}' is not fixed at the tuning shape")
    return func


def _buffer_of(func, param):
    """The buffer a PrimFunc parameter stands for (TVM 0.27: the parameter itself), else None."""
    buffer_map = getattr(func, "buffer_map", None)
    if buffer_map is not None:
        return buffer_map.get(param)
    return param if type(getattr(param, "ty", None)).__name__ == "BufferType" else None


def _constant(extent) -> bool:
    try:
        int(extent)
    except (TypeError, ValueError):
        return False
    return True


def _header(recognised, built, path: Path, build_flags: str) -> list[str]:
    from .vector_unit import vector_width_words

    kernels = recognised.kernel.split(", ") if recognised.kernel else []
    return [
        f"CPU equivalent of CUDA kernel{'s' if len(kernels) > 1 else ''} "
        f"{', '.join(repr(k) for k in kernels) or '(none launched)'} (entry {recognised.host.name}, {path.name}),",
        f"recognised as the operator template '{recognised.template}': {built.formula}.",
        "The kernel's own algorithm is replaced by the template's TVM TE workload,",
        f"emitted as C++17 + OpenMP (build with {build_flags}); kept only because it verified against the .cu.",
        vector_width_words(),
    ]


def _dispatch(host, built, pinned: dict, tuned_body: list[str], default_body: list[str],
              header: list[str]) -> str:
    """`<entry>_tuned`, `<entry>_any_shape` and the entry, which calls the first at the tuning shape."""
    from .emit import C_TYPES
    from .prelude import PRELUDE
    from .templates.library import RESULT

    declarations = ", ".join(p.declaration for p in host.params)
    arguments = [p.name for p in host.params]
    returns = host.return_dtype is not None
    if returns:
        ctype = C_TYPES[host.return_dtype]
        declarations = ", ".join(d for d in (declarations, f"{ctype}* {RESULT}") if d)
        arguments.append(RESULT)
    used = set(built.buffers.values()) | set(built.scalars)
    any_unused = [f"    (void){p.name};" for p in host.params if p.name not in used]
    tuned_unused = [f"    (void){p.name};" for p in host.params
                    if p.name not in used or p.name in pinned]  # pinned sizes are constants there
    shape = " && ".join(f"{name} == {value}" for name, value in pinned.items()) or "true"
    words = ", ".join(f"{name} = {value}" for name, value in pinned.items())
    comment = ["// " + line if line else "//" for line in header]
    linkage = "extern \"C\" " if host.extern_c else ""
    entry = host.name
    call = ", ".join(arguments)
    lines = comment + [
        "", PRELUDE,
        f"// The tuned schedule, specialised to {words}.",
        f"static void {entry}_tuned({declarations}) {{", *tuned_unused, *tuned_body, "}", "",
        "// The template's default schedule, for every other shape.",
        f"static void {entry}_any_shape({declarations}) {{", *any_unused, *default_body, "}", "",
        f"{linkage}{host.return_text if returns else 'void'} {entry}("
        f"{', '.join(p.declaration for p in host.params)}) {{"]
    if returns:
        lines.append(f"    {ctype} {RESULT}[1] = {{}};")
    lines += [f"    if ({shape}) {{", f"        {entry}_tuned({call});", "    } else {",
              f"        {entry}_any_shape({call});", "    }"]
    if returns:
        lines.append(f"    return {RESULT}[0];")
    return "\n".join(lines + ["}", ""])
