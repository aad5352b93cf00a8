"""The torch side of a PyTorch -> JAX verification, one sandboxed process:

    python -m transverify.verify.torch_jax.reference_side JOBS.json

For every job n of JOBS.json (torch is imported once) it builds the reference, makes the input
cases, runs the reference and writes three plain files:

    ref{n}.json       what happened, the cases (families, seeds, input descriptions), the
                      output leaf descriptions, warnings and timings
    feed{n}.npz       what the candidate may see: inputs, parameters, constructor arrays
    expected{n}.npz   the reference's outputs (and changed buffers): read by the parent only
    acts{n}.npz       the outputs of its named submodules (activations.py): the parent only

The candidate never runs in this process, and never sees expected{n}.npz (runner.py)."""

from __future__ import annotations

import math
import sys
import time
import traceback

from .activations import MAX_ELEMENTS, TorchRecorder
from .report import describe, diagnostic
from .transfer import Tagged, TransferError, encode, leaf_record, save_arrays, write_json

FAMILY_ORDER = ("own", "wide", "tiny")


class _Stop(Exception):
    def __init__(self, result: dict):
        self.result = result


def _plain(value):
    """Torch tensors (also inside lists and tuples) as Tagged numpy arrays."""
    import torch

    if isinstance(value, torch.Tensor):
        value = value.detach()
        dtype = str(value.dtype).removeprefix("torch.")
        return Tagged((value.float().numpy() if dtype == "bfloat16" else value.numpy()).copy(), dtype)
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    return value


def _summary(family: str, seed: int, config: dict, inputs: list) -> dict:
    import torch

    shapes = [f"{str(x.dtype).removeprefix('torch.')}{list(x.shape)}" if isinstance(x, torch.Tensor) else repr(x)
              for x in inputs]
    return {"family": family, "seed": seed, "config": config, "inputs": shapes}


def _timed(timings: dict, name: str, since: float) -> None:
    timings[name] = round(timings.get(name, 0.0) + time.monotonic() - since, 4)


def run_job(job: dict) -> tuple[dict, dict, dict, dict]:
    """(report, feed arrays, expected arrays, activation arrays) of one job."""
    started = time.monotonic()
    timings: dict[str, float] = {}
    state = {"warnings": [], "timings": timings}
    feed, expected, activations = {}, {}, {}
    try:
        report = _run(job, state, feed, expected, activations, started)
    except _Stop as stop:
        report = {**state, **stop.result}
        feed.clear()
        expected.clear()
        activations.clear()
    timings["harness"] = round(time.monotonic() - started, 4)
    return report, feed, expected, activations


def _run(job: dict, state: dict, feed: dict, expected: dict, activations: dict, started: float) -> dict:
    import torch

    from . import reference as ref
    from .compare_trees import flatten

    spec, mode, source_path = job["spec"], job["mode"], job["source"]
    deadline = started + job["budget"] * 0.6
    timings = state["timings"]
    now = time.monotonic()

    def source_failure(exc: BaseException, what: str) -> _Stop:
        return _Stop({"verdict": "error", "stage": "compile_source", "message": f"the source fails: {what}: "
                      f"{describe(exc)}", "diagnostics": [diagnostic(source_path, exc, what)]})

    try:
        source = ref.SourceFile.read(source_path)
        overrides = ref.shrink(source, spec, mode, deadline)
        configs = {(): (source.load(overrides), overrides)}
        module = configs[()][0]
        reference = ref.build(module, spec)
    except Exception as exc:
        raise source_failure(exc, "building the reference")
    if overrides:
        sizes = ", ".join(f"{k} {source.constants[k]} -> {v}" for k, v in overrides.items())
        state["warnings"].append(f"shrunk to run on this machine: {sizes}")
    if mode == "train":
        random = ref.random_modules(reference)
        if random:
            raise _Stop({"verdict": "error", "stage": "parse", "message": "train mode cannot compare random "
                         f"outputs ({', '.join(random)}); randomness is checked in eval mode only",
                         "diagnostics": []})
    references = {(): reference}
    try:
        cases = _plan_cases(job, spec, source, module, configs, references, overrides, mode, state)
    except Exception as exc:
        raise source_failure(exc, "making the inputs")
    _timed(timings, "compile_source", now)

    now = time.monotonic()
    uses_64 = any(p.dtype in (torch.float64, torch.complex128) for p in reference.state_dict().values()) \
        if isinstance(reference, torch.nn.Module) else False
    kept = []
    recorders = {key: TorchRecorder(target) for key, target in references.items()
                 if isinstance(target, torch.nn.Module)}
    room = MAX_ELEMENTS
    for number, (family, case_seed, key, inputs) in enumerate(cases):
        uses_64 |= any(isinstance(x, torch.Tensor) and x.dtype in (torch.float64, torch.complex128) for x in inputs)
        recorder = recorders.get(key)
        if recorder is not None:
            recorder.current = {} if room > 0 else None
        try:
            out, changed = ref.run(references[key], inputs, mode)
        except Exception as exc:
            if number == 0:
                raise source_failure(exc, "running the reference")
            state["warnings"].append(f"case {number} ({family}) skipped: the reference fails on it: {describe(exc)}")
            continue
        uses_64 |= any(isinstance(v, torch.Tensor) and v.dtype in (torch.float64, torch.complex128)
                       for _, v in flatten(out))
        recorded = recorder.current if recorder is not None and recorder.current is not None else {}
        room -= sum(value.numel() for _, value in recorded.values())
        kept.append((family, case_seed, key, inputs, out, changed, recorded))
    _timed(timings, "run_source", now)

    config_index = {key: i for i, key in enumerate(configs)}
    config_reports = []
    for key, (module_k, config) in configs.items():
        i = config_index[key]
        target = references[key]
        state_dict = target.state_dict() if isinstance(target, torch.nn.Module) else {}
        names = list(state_dict)
        for j, name in enumerate(names):
            feed[f"c{i}_s{j}"] = _plain(state_dict[name]).array
        config_reports.append({
            "config": config, "state": names,
            "state_dtypes": [str(state_dict[n].dtype).removeprefix("torch.") for n in names],
            "init": encode(_plain(ref.init_inputs(module_k)) if spec["kind"] == "class" else [], feed, f"c{i}_init")})
    case_reports = []
    for number, (family, case_seed, key, inputs, out, changed, recorded) in enumerate(kept):
        outputs = [leaf_record(name, leaf, expected, f"k{number}_o{j}") for j, (name, leaf) in enumerate(flatten(out))]
        buffers = [leaf_record(name, changed[name], expected, f"k{number}_b{j}") for j, name in enumerate(changed)]
        case_reports.append({"family": family, "seed": case_seed, "config": config_index[key],
                             "inputs": encode(_plain(list(inputs)), feed, f"k{number}_i"),
                             "summary": _summary(family, case_seed, configs[key][1], inputs),
                             "changed": list(changed), "outputs": outputs, "buffers": buffers,
                             "activations": [{**leaf_record(name, value, activations, f"k{number}_a{j}"), "type": kind}
                                             for j, (name, (kind, value)) in enumerate(recorded.items())]})
    return {**state, "ok": True, "x64": uses_64, "configs": config_reports, "cases": case_reports}


def _plan_cases(job, spec, source, module, configs, references, overrides, mode, state) -> list:
    from . import reference as ref

    cases: list[tuple[str, int, tuple, list]] = []
    count, seed = job["cases"], job["seed"]
    own = max(1, math.ceil(count / 2))
    wide = max(1, math.ceil(count / 4)) if count > 1 else 0
    tiny = max(0, count - own - wide)
    for k in range(own):
        cases.append(("own", seed + k, (), ref.make_inputs(module, spec, seed + k)))
    for k in range(wide):
        base = ref.make_inputs(module, spec, seed + k)
        cases.append(("wide", seed + k, (), ref.widen(base, seed + k)))
    if tiny:
        tiny_config = ref.tiny_overrides(source, spec, overrides, mode)
        if tiny_config is not None:
            key = tuple(sorted(tiny_config.items()))
            try:
                configs[key] = (source.load(tiny_config), tiny_config)
                references[key] = ref.build(configs[key][0], spec)
                for k in range(tiny):
                    cases.append(("tiny", seed + k, key, ref.make_inputs(configs[key][0], spec, seed + k)))
            except Exception as exc:
                state["warnings"].append(f"tiny shapes skipped: {describe(exc)}")
        elif spec["inputs"]:
            for k in range(tiny):
                small = ref.tiny_inputs(cases[0][3], seed + k)
                if small is not None:
                    cases.append(("tiny", seed + k, (), small))
    return cases


def main(argv: list[str]) -> int:
    (jobs_path,) = argv
    from .transfer import load_json

    jobs = load_json(jobs_path)
    import torch  # noqa: F401  (imported once, before any job's clock starts)

    for index, job in enumerate(jobs):
        try:
            report, feed, expected, activations = run_job(job)
        except Exception as exc:  # a harness bug: reported as an internal error of this job only
            report, feed, expected, activations = ({"verdict": "error", "stage": None, "internal": True,
                                                    "message": f"internal error in the harness: {describe(exc)}",
                                                    "warnings": [traceback.format_exc(limit=6)]}, {}, {}, {})
        try:
            save_arrays(f"feed{index}.npz", feed)
            save_arrays(f"expected{index}.npz", expected)
            save_arrays(f"acts{index}.npz", activations)
        except (OSError, TransferError) as exc:  # this job fails; the batch goes on
            report = {"verdict": "error", "stage": "compile_source", "message": f"the reference's arrays cannot be "
                      f"written: {describe(exc)}", "warnings": report.get("warnings", [])}
        write_json(f"ref{index}.json", report)  # last: its presence says the job is complete
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
