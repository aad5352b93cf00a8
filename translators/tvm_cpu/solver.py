"""`translate --to cpu --solver tvm`: lift, schedule (the default CPU schedule), emit, verify.

`generate()` is the translation alone (raises Unliftable); `solve()` is what the
pipeline calls: it verifies the emitted C++ against the .cu with the CUDA->CPU
pair and returns the fields of a TranslateOutcome.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import load_tvm
from .device_buffers import launch_statements, shadow_copies
from .entry_locals import integer_values
from .errors import Unliftable
from .host_loop import host_loops
from .ir import extent_words
from .size_types import check_size_types, narrowed_sizes, size_check
from .tuned_trace import replay, trace_words


@dataclass
class Generated:
    code: str
    kernel: str
    entry: str
    decisions: list[str]
    host: object = None  # the entry (verify.cuda signature)
    lifted: object = None  # lift.Lifted
    launches: list = field(default_factory=list)  # several launches: (lift.Lifted, host loop or None) each
    integer_locals: dict = field(default_factory=dict)  # entry locals the launches read -> C++ text (entry_locals.py)
    host_copies: dict = field(default_factory=dict)  # host array -> the local device buffers copied to or from it

    def timing_lengths(self, values: dict) -> dict:
        """Array -> elements for timing several launches at `values`: what the launches reach, and a
        host array at least as long as a local buffer it is copied to or from (the entry copies it)."""
        from .bounds import sequence_lengths
        from .entry_locals import with_locals

        lengths = sequence_lengths(self.launches, with_locals(values, self.integer_locals))
        for host, devices in self.host_copies.items():
            reach = max((lengths.get(device, 0) for device in devices), default=0)
            if reach > lengths.get(host, 0):
                lengths[host] = reach
        return lengths


@dataclass
class Tuning:
    """What `--trials N` asks for and what came of it."""
    trials: int
    seconds: float | None = None
    values: dict = field(default_factory=dict)  # --value pins: the tuning shape
    cache_dir: object = None
    cancel: object = None
    fast_math: bool = False  # candidates ranked on -ffast-math builds, records cached apart
    # filled in by generate():
    shape: dict = field(default_factory=dict)  # integer parameter -> value the tuned schedule is for
    record: object = None  # tuning.Tuned
    used_rank: int = 0  # which of the best records the emitter printed (0 = the best)


def generate(path: Path, entry: str | None = None, progress=None, tuning: Tuning | None = None,
             build_flags: str = "-fopenmp") -> Generated:
    """The translation (raises Unliftable; tuning.TuningFailed/TuningCancelled with `tuning`: the
    search failed or no record it found could be emitted).
    `build_flags` are the flags the header comment tells the user to build with."""
    from .emit import EmitError, emit_dispatch, emit_function
    from .launch import find_launches
    from .schedule import default_schedule, lower
    from .te_build import build_prim_func
    from .vector_unit import vector_width_words

    launches = find_launches(Path(path), entry)
    launch = launches[0]
    host = launch.entry
    if host.return_dtype is not None:
        raise Unliftable("return type", host.line, f"{host.name} returns a value; only void entries are lifted")
    scalars = {p.name: p.dtype for p in host.params if not p.pointer}
    pointers = {p.name: p.dtype for p in host.params if p.pointer}
    if len(launches) > 1 or launches[0].loop is not None or launch.buffers.locals or launch.buffers.scalars.used \
            or launch.extra_params \
            or launch_statements(launches, {}):
        return _generate_sequence(path, launches, progress, tuning, build_flags)
    lifted = _lift_launch(launch, host, scalars, pointers)
    if {out.buffer for out in lifted.outputs} & launch.buffers.not_copied_back().keys():
        # it writes a device copy the entry never copies back: the entry gives it a local copy
        return _generate_sequence(path, launches, progress, tuning, build_flags)
    if progress:
        progress("building the TVM workload")
    blocks = [f"stage{k}" for k in range(len(lifted.stages))] + [f"{o.buffer}_out" for o in lifted.outputs]
    load_tvm()
    try:
        workload = build_prim_func(lifted, host.params)
        mod, decisions = default_schedule(workload.func, workload.packed + blocks)
        decisions = [_packing_words(d, workload.packed) for d in decisions]
        lowered = lower(mod)
    except Exception as exc:  # noqa: BLE001 - TVM's own checks; report them as a refusal, not a crash
        raise _tvm_refusal(exc, launch) from None
    names = {**workload.inputs, **workload.outputs}
    header = [
        f"CPU equivalent of CUDA kernel '{launch.kernel_name}' (entry {host.name}, {Path(path).name}),",
        f"lifted to TVM TE and emitted as C++17 + OpenMP (build with {build_flags}).",
        "Thread domain: " + ", ".join(f"{lifted.axis_origin.get(a, _axis_words(a))} < "
                                      f"{extent_words(e)}" for a, e in lifted.extents.items()) + ".",
        vector_width_words(),
    ]
    narrowed = narrowed_sizes(lifted, host)
    if narrowed:
        header.insert(3, f"Sizes {', '.join(f'{p.name} ({p.type_text})' for p in narrowed)} are read as int "
                         "extents: exact for values up to 2147483647 (a larger one stops the entry with a message).")
    if tuning is None:
        signature = ("extern \"C\" " if host.extern_c else "") + \
            f"void {host.name}({', '.join(p.declaration for p in host.params)})"
        try:
            code = emit_function(lowered, names, workload.scalars, signature,
                                 header + ["Schedule:", *[f"  {d}" for d in decisions]])
        except EmitError as exc:
            raise Unliftable("emission", None, str(exc)) from None
        return Generated(code=size_check(code, host, narrowed), kernel=launch.kernel_name, entry=host.name,
                         decisions=decisions, host=host,
                         lifted=lifted)

    from .bounds import array_lengths, tuning_values
    from .tuning import tuned_records

    values = tuning_values(host, tuning.values)
    lengths = array_lengths(lifted, values)
    tuning.shape = values
    try:
        tune_form = build_prim_func(lifted, host.params, values, lengths, scalar_buffers=True)
        emit_form = build_prim_func(lifted, host.params, values, lengths)
    except Exception as exc:  # noqa: BLE001
        raise _tvm_refusal(exc, launch) from None
    record = tuned_records(tune_form.func, tuning.trials, tuning.seconds, tuning.cache_dir, progress, tuning.cancel,
                           tuning.fast_math)
    tuning.record = record
    failures = []
    for rank, trace in enumerate(record.traces):
        try:
            tuned_lowered = lower(replay(emit_form.func, trace))
            tuned_names = {**emit_form.inputs, **emit_form.outputs}
            tuned_decisions = trace_words(trace)
            code = emit_dispatch(
                (tuned_lowered, emit_form.scalars), (lowered, workload.scalars), tuned_names, host.name,
                host.params, host.extern_c, values,
                header + [f"Tuned by TVM MetaSchedule at {', '.join(f'{k} = {v}' for k, v in values.items())} "
                          f"({record.trials} trials measured, {record.seconds:.0f} s"
                          "); schedule:",
                          *[f"  {d}" for d in tuned_decisions],
                          "Default schedule (every other shape):", *[f"  {d}" for d in decisions]])
        except EmitError as exc:
            failures.append(str(exc))
            continue
        except Exception as exc:  # noqa: BLE001 - a record TVM cannot replay or lower here
            failures.append(str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__)
            continue
        tuning.used_rank = rank
        return Generated(code=size_check(code, host, narrowed), kernel=launch.kernel_name, entry=host.name,
                         decisions=tuned_decisions + ["default schedule (other shapes):"] + decisions,
                         host=host, lifted=lifted)
    from .tuning import TuningFailed

    # The kernel lifted and its default schedule emits: a tuning failure, not a refusal of the kernel.
    raise TuningFailed("no tuned schedule could be emitted as C++: " + "; ".join(failures[:2]))


def _packing_words(decision: str, packed: list[str]) -> str:
    """A packed operand's schedule line, saying why the copy is there."""
    from .gemm_schedule import tile_cols

    for name in packed:
        if decision.startswith(f"{name}: "):
            operand = name[: -len("_panels")]
            return (f"{name}: {operand} copied once into panels of {tile_cols()} columns, each [reduction][column] "
                    f"(zeros past the last column), so each GEMM tile reads one contiguous run per reduction step; "
                    + decision[len(name) + 2:])
    return decision


def _generate_sequence(path: Path, launches: list, progress, tuning, build_flags: str) -> Generated:
    """Several launches, or launches in a host loop, in order: each kernel is lifted, scheduled and
    emitted as a static function with the entry's parameters (and the loop variable), and the entry
    calls them in launch order, those of a host loop inside the same loop, so each reads the arrays
    as the launches before it left them (2mm's `tmp = A·B`, then `D = tmp·C`; a time step's)."""
    import dataclasses

    from .emit import EmitError, emit_sequence
    from .ping_pong import entry_steps, read_ping_pong
    from .schedule import default_schedule, lower
    from .te_build import build_prim_func
    from .vector_unit import vector_width_words

    host = launches[0].entry
    load_tvm()
    parts, decisions, domains, lifts = [], [], [], []
    # the entry's scalar locals and local buffers (device_buffers.py) that launches take: every launch's
    # function takes them after the entry's parameters
    buffers = launches[0].buffers
    local_params = {name: local.param for name, local in buffers.locals.items() if local.param}
    derived_params = [derived.param for derived in buffers.scalars.used.values() if derived.param]
    for number, launch in enumerate(launches):
        # a launch in a host loop also takes the loop variable (a time step it may read)
        loop_params = [loop.param for loop in launch.loop.chain()] if launch.loop else []
        own = dataclasses.replace(host, params=[*host.params, *loop_params, *derived_params, *local_params.values(),
                                                *launch.extra_params])
        scalars = {p.name: p.dtype for p in own.params if not p.pointer}
        pointers = {p.name: p.dtype for p in own.params if p.pointer}
        lifted = _lift_launch(launch, own, scalars, pointers)
        if progress:
            progress(f"building the TVM workload of launch {number + 1} ({launch.kernel_name})")
        blocks = [f"stage{k}" for k in range(len(lifted.stages))] + [f"{o.buffer}_out" for o in lifted.outputs]
        try:
            workload = build_prim_func(lifted, own.params)
            mod, steps = default_schedule(workload.func, workload.packed + blocks)
            lowered = lower(mod)
        except Exception as exc:  # noqa: BLE001 - TVM's own checks; report them as a refusal, not a crash
            raise _tvm_refusal(exc, launch) from None
        lifts.append((lifted, launch.loop))
        loop = launch.loop.key() if launch.loop else None
        parts.append((f"{host.name}_launch{number + 1}", lowered, {**workload.inputs, **workload.outputs},
                      workload.scalars, own.params, loop))
        decisions += [f"launch {number + 1} ({launch.kernel_name}): {_packing_words(d, workload.packed)}"
                      for d in steps]
        domains.append(f"launch {number + 1} ({launch.kernel_name}, line {launch.launch_line}"
                       + (f", every step of the host loop of line {launch.loop.line}" if launch.loop else "") + "): "
                       + ", ".join(f"{lifted.axis_origin.get(a, _axis_words(a))} < {extent_words(e)}"
                                   for a, e in lifted.extents.items()))
    kernels = ", ".join(launch.kernel_name for launch in launches)
    loops = sorted({(loop.line, loop.header()) for loop in host_loops(launches)})
    header = [
        f"CPU equivalent of CUDA kernels {kernels} (entry {host.name}, {Path(path).name}), launched in this order,",
        *[f"those of the host loop of line {line} on every step of `{words}`," for line, words in loops],
        f"lifted to TVM TE and emitted as C++17 + OpenMP (build with {build_flags}).",
        "Thread domains:", *[f"  {d}" for d in domains], vector_width_words(),
        "Schedule:", *[f"  {d}" for d in decisions],
    ]
    if tuning is not None:
        parts, header, decisions = _tuned_sequence(launches, parts, lifts, host, tuning, header, decisions, progress)
    ping = read_ping_pong(launches, host, launches[0].copies, local_params)
    # device copies the launches write but the entry never copies back: the launches take a local copy
    written = {out.buffer for lifted, _ in lifts for out in lifted.outputs}
    shadows, shadow_prologue = shadow_copies(buffers, host, written)
    ping.holders.update(shadows)
    ping.prologue[:0] = shadow_prologue
    if shadows:  # a const input's local copy is written: the launch functions take it as non-const
        parts = [(*part[:4], [_writable(p) if p.name in shadows else p for p in part[4]], *part[5:])
                 for part in parts]
    around = launch_statements(launches, ping.holders)
    steps = entry_steps(launches, [part[0] for part in parts], [part[4] for part in parts], ping, around.steps)
    if launches[0].buffers.locals:
        header.insert(header.index("Thread domains:"), "Device buffers that are not the copy of one host array are local "
                      "arrays: " + ", ".join(f"{name} (line {local.line})"
                                              for name, local in launches[0].buffers.locals.items()) + ".")
    try:
        code = emit_sequence(parts, host.name, host.params, host.extern_c, header, steps,
                             around.prologue + ping.prologue, around.epilogue + ping.epilogue)
    except EmitError as exc:
        raise Unliftable("emission", None, str(exc)) from None
    return Generated(code=code, kernel=kernels, entry=host.name, decisions=decisions, host=host, launches=lifts,
                     integer_locals=integer_values(launches), host_copies=buffers.host_copies(host))


def _writable(param):
    """A const pointer parameter as a non-const one (a launch writes the local copy passed for it)."""
    import dataclasses

    from .tir_util import C_TYPES

    if not param.const:
        return param
    return dataclasses.replace(param, const=False, declaration=f"{C_TYPES[param.dtype]}* {param.name}")


def _tuned_sequence(launches, parts, lifts, host, tuning, header, decisions, progress):
    """Each launch tuned at the entry's shape (sequence_tuning.py): the parts with their tuned
    alternatives, and the header and decisions saying what each launch got."""
    from .sequence_tuning import LaunchToTune, tune_launches

    to_tune = [LaunchToTune(k + 1, launch.kernel_name, lifted, loop, part[4])
               for k, (launch, (lifted, loop), part) in enumerate(zip(launches, lifts, parts))]
    tuned, record = tune_launches(to_tune, host, tuning, progress, integer_values(launches))
    tuning.record, tuning.used_rank = record, 0
    if not any(tuned):
        from .tuning import TuningFailed

        raise TuningFailed("; ".join(f"launch {s['launch']} ({s['kernel']}): {s['note']}"
                                     for s in record.launches if s.get("note"))[:600])
    shape = ", ".join(f"{k} = {v}" for k, v in tuning.shape.items())
    words = [f"Tuned by TVM MetaSchedule at {shape} ({record.trials} trials measured in all, shared among the "
             f"launches, {record.seconds:.0f} s); a launch runs its tuned schedule when the sizes it reads have "
             "these values, the default schedule otherwise:"]
    tuned_decisions = []
    for summary, result in zip(record.launches, tuned):
        name = f"launch {summary['launch']} ({summary['kernel']})"
        if result is None:
            words.append(f"  {name}: default schedule, {summary['note']}")
            continue
        if not result.pinned:
            words.append(f"  {name} reads no integer parameter: its tuned schedule runs at every call")
        words += [f"  {name}: {d}" for d in result.decisions]
        tuned_decisions += [f"{name}, tuned: {d}" for d in result.decisions]
    at = header.index("Schedule:")
    header = header[:at] + words + ["Default schedule:"] + header[at + 1:]
    parts = [(*part, result) for part, result in zip(parts, tuned)]
    return parts, header, tuned_decisions + ["default schedule (other shapes):"] + decisions


def _lift_launch(launch, host, scalars: dict, pointers: dict):
    """One launched kernel lifted thread by thread; refused when it writes a const input of the entry
    or reads a size of a type it cannot (`check_size_types`)."""
    from .lift import ThreadLifter

    lifted = ThreadLifter(launch.kernel, launch.binding, scalars, pointers, launch.constants,
                          device_copies=launch.device_copies).lift(launch.kernel_name)
    for out in lifted.outputs:
        param = next(p for p in host.params if p.name == out.buffer)
        if param.const and out.buffer not in launch.buffers.not_copied_back():
            raise Unliftable("store", out.line, f"the kernel writes '{out.buffer}', a const input of {host.name}")
    check_size_types(lifted, host)
    return lifted


def _tvm_refusal(exc: Exception, launch) -> Unliftable:
    first = str(exc).strip().splitlines()[-1] if str(exc).strip() else exc.__class__.__name__
    return Unliftable("TVM", launch.launch_line, f"TVM cannot build kernel '{launch.kernel_name}': {first}")


def _axis_words(axis: str) -> str:
    d = {"gx": "x", "gy": "y", "gz": "z"}.get(axis)
    return f"blockIdx.{d}*blockDim.{d}+threadIdx.{d}" if d else axis


def solve(request, output: Path, options) -> dict:
    """The TranslateOutcome fields for the pipeline: exit 0 verified, 1 not verified, 2 not lifted."""
    import dataclasses

    from . import INSTALL_HINT, available
    from ..registry import Unsupported

    base = dict(code=None, exit_code=2, result=None, unsupported=[], dialogue_id=None, rounds=0,
                solver_used="tvm", message="")
    if not available():
        return {**base, "message": INSTALL_HINT}
    if request.tvm_tune_seconds is not None and request.tvm_trials <= 0:
        return {**base, "message": "--tune-seconds limits MetaSchedule tuning: give --trials N (N > 0) with it"}
    tuning = None
    if request.tvm_trials > 0:
        tuning = Tuning(trials=request.tvm_trials, seconds=request.tvm_tune_seconds, values=_shape(request, options),
                        cache_dir=options.cache_dir, cancel=request.cancel, fast_math=request.tvm_fast_math)
    from .tuning import TuningCancelled, TuningFailed

    recognised = None
    not_tuned = []  # why the kernel kept its verified default schedule despite --trials
    build_flags = emitted_build_flags(request.tvm_fast_math)
    try:
        try:
            generated = generate(Path(request.source), request.entry or options.entry, progress=request.progress,
                                 tuning=tuning, build_flags=build_flags)
        except Unliftable as exc:
            recognised = _recognise(request, dataclasses.replace(options, fast_math=request.tvm_fast_math), exc)
            if recognised is None or recognised.template is None:
                words = f"; {recognised.tried_words()}" if recognised is not None else ""
                return {**base, "unsupported": [Unsupported(exc.line, exc.construct, exc.message + words)],
                        "message": f"{request.source}: {exc.describe()}{words}"}
            generated = Generated(code=recognised.code, kernel=recognised.kernel, entry=recognised.entry,
                                  decisions=recognised.decisions, host=recognised.host)
            if tuning is not None:
                tuned = _tune_recognised(request, recognised, tuning, not_tuned)
                if tuned is None:
                    tuning = None  # the template keeps its default schedule (not_tuned says why)
                else:
                    generated = tuned
    except TuningCancelled:
        return {**base, "message": "cancelled: tuning stopped, nothing written"}
    except TuningFailed as exc:
        # The kernel lifted; only the search failed: its default schedule is the translation.
        not_tuned.append(f"not tuned: {exc}")
        tuning = None
        if request.progress:
            request.progress(f"tuning failed ({_first_line(str(exc))}); keeping the default schedule")
        try:
            generated = generate(Path(request.source), request.entry or options.entry, progress=request.progress,
                                 build_flags=build_flags)
        except Unliftable:
            return {**base, "message": f"{request.source}: {exc}"}
    if request.progress:
        request.progress("verifying the emitted C++ against the CUDA source")
    # --fast-math: the candidate is built and compared as a fast-math build (verify/cuda/build.py).
    options = dataclasses.replace(options, fast_math=request.tvm_fast_math)
    runs = [options]
    if tuning is not None:
        # The tuned function runs only at its shape: verify there too (values pinned to it).
        pinned = {**options.values, **{k: str(v) for k, v in tuning.shape.items()}}
        if pinned != options.values:  # else the first run is this one already
            runs.append(dataclasses.replace(options, values=pinned))
    result = recognised.result if recognised is not None else None
    # An untuned template was verified when it was kept; a tuned one is verified on both paths.
    for run in runs if recognised is None or tuning is not None else []:
        result = _verify_code(request, generated.code, output, run)
        if not result.ok:
            break
    cancelled = request.cancel is not None and request.cancel.is_set()
    if tuning is not None and not result.ok and not cancelled and result.stage not in ("parse", "compile_source"):
        # The tuned code did not verify: the default schedule stands when it verifies, and the note says why.
        note = f"not tuned: the tuned code did not verify ({_first_line(result.message)})"
        if recognised is not None:  # verified when it was kept
            not_tuned.append(note)
            tuning, result = None, recognised.result
            generated = Generated(code=recognised.code, kernel=recognised.kernel, entry=recognised.entry,
                                  decisions=recognised.decisions, host=recognised.host)
        else:
            try:
                default = generate(Path(request.source), request.entry or options.entry, progress=request.progress,
                                   build_flags=build_flags)
            except Unliftable:  # emitted before tuning, so not expected; the tuned result's failure stands
                default = None
            checked = _verify_code(request, default.code, output, options) if default is not None else None
            if checked is not None and checked.ok:
                not_tuned.append(note)
                tuning, result, generated = None, checked, default
    details = ["schedule:"] + [f"  {d}" for d in generated.decisions]
    outcome = {**base, "code": with_header_notes(generated.code, not_tuned), "result": result, "rounds": 1}
    how = "default schedule"
    if tuning is not None:
        record = tuning.record
        shape = ", ".join(f"{k}={v}" for k, v in tuning.shape.items())
        how = (f"tuned at {shape}: {record.trials} trials, "
               + ("cached record" if record.cached else f"{record.seconds:.1f} s of tuning")
               + (f", searched on from {record.extended_from} cached" if getattr(record, "extended_from", None)
                  else "")
               + (", stopped at the time budget" if record.stopped else ""))
        details.append(f"tuning cache: {record.cache_dir}")
        outcome["tvm"] = {"tuning_shape": tuning.shape, "trials": record.trials, "cache_dir": record.cache_dir,
                          "tune_seconds": round(record.seconds, 2), "cached": record.cached, "stopped": record.stopped, "record_rank": tuning.used_rank,
                          "tvm_best_ms": float(f"{record.best_ms[tuning.used_rank]:.4g}")}
        if getattr(record, "extended_from", None) is not None:  # a larger budget than the cache's records had
            outcome["tvm"]["searched_on_from"] = record.extended_from
        if getattr(record, "launches", None):  # several launches: each one's share of the run
            outcome["tvm"]["launches"] = record.launches
            details += [f"launch {s['launch']} ({s['kernel']}): {s['note']}" for s in record.launches if s.get("note")]
    if recognised is not None:
        how = f"operator template {recognised.template}" + (f", {how}" if tuning is not None else "")
        outcome["tvm"] = {"template": recognised.template, "template_variant": recognised.variant,
                          **(outcome.get("tvm") or {})}
    if not_tuned:
        details.extend(not_tuned)
        outcome["tvm"] = {**(outcome.get("tvm") or {}), "notes": list(not_tuned)}
        how += ", not tuned (te.extern stage)" if "te.extern" in not_tuned[0] else f", {not_tuned[0]}"
    if request.tvm_fast_math:
        how += ", -ffast-math"
    speed_words = ""
    if result.ok and (request.tvm_measure if request.tvm_measure is not None else tuning is not None):
        speed = _measure(request, options, generated, tuning, recognised)
        notes = (outcome.get("tvm") or {}).get("notes", []) + speed.get("notes", [])
        outcome["tvm"] = {**(outcome.get("tvm") or {}), **speed, **({"notes": notes} if notes else {})}
        speed_words = _speed_words(speed)
        details.append("measured (median ms, same inputs): "
                       + ", ".join(f"{k} {v:g}" for k, v in speed.get("ms", {}).items())
                       + "".join(f"; {note}" for note in speed.get("notes", [])))
        if speed.get("flags"):
            details.append("built with: " + "; ".join(f"{k}: g++ {v}" for k, v in speed["flags"].items()))
    outcome["details"] = "\n".join(details)
    if result.ok:
        return {**outcome, "exit_code": 0,
                "message": f"verified equivalent on {result.cases} case(s) (TVM, {how}, kernel {generated.kernel})"
                           + speed_words}
    if result.stage in ("parse", "compile_source"):
        return {**outcome, "exit_code": 2, "code": None, "message": f"cannot verify: {result.message}"}
    return {**outcome, "exit_code": 1, "message": f"TVM translation not verified: {result.message}"}


def _verify_code(request, code: str, output: Path, options):
    """The verifier's result for `code` as the translation of the request's .cu."""
    from ...verify import verify

    folder = Path(tempfile.mkdtemp(prefix="transverify-tvm-"))
    try:
        folder.chmod(0o755)
        candidate = folder / output.name
        candidate.write_text(code, encoding="utf-8")
        candidate.chmod(0o644)
        return verify(Path(request.source), candidate, options)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def with_header_notes(code: str, notes: list[str]) -> str:
    """`code` with `notes` (why it was not tuned) as comment lines ending its header comment."""
    if not notes or code is None:
        return code
    lines = code.split("\n")
    end = 0
    while end < len(lines) and lines[end].startswith("//"):
        end += 1
    words = [f"// {_first_line(note, 300)[0].upper()}{_first_line(note, 300)[1:]}; the default schedule is kept."
             for note in notes]
    return "\n".join(lines[:end] + words + lines[end:])


def _tune_recognised(request, recognised, tuning: Tuning, not_tuned: list) -> Generated | None:
    """The recognised template tuned like a lifted kernel (template_tuning.py), or None with the
    reason in `not_tuned` when it is not (its verified default stands; cancellation propagates)."""
    from .template_tuning import NotTunable, tune_template
    from .tuning import TuningFailed

    try:
        code, decisions = tune_template(recognised, tuning, Path(request.source), request.progress,
                                        emitted_build_flags(request.tvm_fast_math))
    except (NotTunable, TuningFailed) as exc:  # the template's verified default schedule stands
        not_tuned.append(f"not tuned: {exc}")
        return None
    except Unliftable as exc:  # no tuned record could be emitted
        not_tuned.append(f"not tuned: {exc.message}")
        return None
    return Generated(code=code, kernel=recognised.kernel, entry=recognised.entry, decisions=decisions,
                     host=recognised.host)


def _recognise(request, options, refusal: Unliftable):
    """A verified operator template for a kernel the lifter refused (templates/), or None when
    the refusal is not one a recognised algorithm can stand in for."""
    from .templates import applies, recognise

    if not applies(refusal):
        return None
    try:
        return recognise(Path(request.source), request.entry or options.entry, options, request.progress)
    except Unliftable:
        return None


def _shape(request, options) -> dict:
    """The sizes to tune and time at: the request's shape (sizes only), under the verifier's pins."""
    return {**request.tvm_shape, **options.values}


def _measure(request, options, generated, tuning, recognised=None) -> dict:
    """Run times of the emitted code and the naive translations at the tuning shape (speed.py)."""
    from .bounds import tuning_values
    from .speed import measure
    from .tune_cache import tuning_threads

    if request.progress:
        request.progress("timing the TVM code against naive serial and OpenMP translations")
    try:
        values = tuning.shape if tuning is not None else tuning_values(generated.host, _shape(request, options))
        if recognised is None and generated.lifted is None:  # several launches, a host loop: no GEMM to compare
            return measure(Path(request.source), generated.entry, generated.code, generated.host, None, values,
                           tuning_threads(), cancel=request.cancel, fast_math=request.tvm_fast_math,
                           lengths=generated.timing_lengths(values))
        if recognised is not None:
            return measure(Path(request.source), generated.entry, generated.code, generated.host, None, values,
                           tuning_threads(), cancel=request.cancel, lengths=recognised.lengths_at(values),
                           gemm=recognised.gemm, fast_math=request.tvm_fast_math)
        return measure(Path(request.source), generated.entry, generated.code, generated.host, generated.lifted,
                       values, tuning_threads(), cancel=request.cancel, fast_math=request.tvm_fast_math)
    except (Unliftable, ValueError, OSError) as exc:
        message = exc.describe() if isinstance(exc, Unliftable) else str(exc)
        return {"ms": {}, "speedup": {}, "notes": [f"not measured: {message}"]}


def _first_line(message: str, limit: int = 160) -> str:
    line = (message or "").strip().splitlines()[0] if (message or "").strip() else "no message"
    return line if len(line) <= limit else line[:limit - 3] + "..."


def emitted_build_flags(fast_math: bool) -> str:
    """The flags the emitted file is verified with and should be built with."""
    from ...verify.cuda.build import FAST_MATH_FLAGS

    return " ".join(["-fopenmp", *FAST_MATH_FLAGS]) if fast_math else "-fopenmp"


def _speed_words(speed: dict) -> str:
    names = {"vs_serial": "naive serial", "vs_openmp": "naive OpenMP", "vs_openblas": "OpenBLAS"}
    parts = [f"{ratio:.2f}x {names[key]}" for key, ratio in speed.get("speedup", {}).items()]
    return f"; {', '.join(parts)}" if parts else ""
