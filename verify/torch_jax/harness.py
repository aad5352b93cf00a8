"""The in-sandbox program of the PyTorch -> JAX pair:

    python -m transverify.verify.torch_jax.harness JOBS.json RESULTS.json

verifies every job of JOBS.json in this one process (torch and jax are imported once) and
writes one result object per job.  The parent (runner.py) turns them into VerifyResults."""

from __future__ import annotations

import json
import math
import sys
import time
import traceback

MAX_MISMATCHES = 20


class _Stop(Exception):
    def __init__(self, result: dict):
        self.result = result


def _where(exc: BaseException, path: str) -> int | None:
    """The last line of `path` in the exception's traceback."""
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == path:
            line = frame.lineno
    if line is None and isinstance(exc, SyntaxError) and exc.filename == path:
        line = exc.lineno
    return line


def _describe(exc: BaseException) -> str:
    text = f"{exc.__class__.__name__}: {exc}".strip()
    text = text.split("\n--------------------")[0]  # jax appends a long filtered-traceback note
    return text if len(text) < 700 else text[:700] + " …"


def _diag(path: str, exc: BaseException, what: str) -> dict:
    return {"file": path, "line": _where(exc, path) or 1, "column": 1, "severity": "error",
            "message": f"{what}: {_describe(exc)}"}


def _summary(family: str, seed: int, config: dict, inputs: list) -> dict:
    import torch

    shapes = [f"{str(x.dtype).removeprefix('torch.')}{list(x.shape)}" if isinstance(x, torch.Tensor) else repr(x)
              for x in inputs]
    return {"family": family, "seed": seed, "config": config, "inputs": shapes}


def verify_job(job: dict, index: int) -> dict:
    started = time.monotonic()
    timings: dict[str, float] = {}
    state = {"warnings": [], "inputs": [], "timings": timings}
    try:
        return _verify(job, index, state, started)
    except _Stop as stop:
        return {**state, **stop.result}
    finally:
        timings["harness"] = round(time.monotonic() - started, 4)


def _timed(timings: dict, name: str, since: float) -> None:
    timings[name] = round(timings.get(name, 0.0) + time.monotonic() - since, 4)


def _verify(job: dict, index: int, state: dict, started: float) -> dict:
    from . import reference as ref

    spec, mode, source_path = job["spec"], job["mode"], job["source"]
    deadline = started + job["budget"] * 0.6
    timings = state["timings"]
    now = time.monotonic()

    def source_failure(exc: BaseException, what: str) -> _Stop:
        return _Stop({"verdict": "error", "stage": "compile_source", "message": f"the source fails: {what}: "
                      f"{_describe(exc)}", "diagnostics": [_diag(source_path, exc, what)]})

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
    return _compare_all(job, index, spec, mode, cases, configs, references, state, started, source_failure)


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
                state["warnings"].append(f"tiny shapes skipped: {_describe(exc)}")
        elif spec["inputs"]:
            for k in range(tiny):
                small = ref.tiny_inputs(cases[0][3], seed + k)
                if small is not None:
                    cases.append(("tiny", seed + k, (), small))
    return cases


def _compare_all(job, index, spec, mode, cases, configs, references, state, started, source_failure) -> dict:
    import torch

    from . import reference as ref

    timings = state["timings"]
    now = time.monotonic()
    expected = []
    reference = references[()]
    uses_64 = any(p.dtype in (torch.float64, torch.complex128) for p in reference.state_dict().values()) \
        if isinstance(reference, torch.nn.Module) else False
    for number, (family, case_seed, key, inputs) in enumerate(cases):
        uses_64 |= any(isinstance(x, torch.Tensor) and x.dtype in (torch.float64, torch.complex128) for x in inputs)
        try:
            out, changed = ref.run(references[key], inputs, mode)
        except Exception as exc:
            if number == 0:
                raise source_failure(exc, "running the reference")
            state["warnings"].append(f"case {number} ({family}) skipped: the reference fails on it: {_describe(exc)}")
            expected.append(None)
            continue
        from .compare_trees import flatten

        uses_64 |= any(isinstance(v, torch.Tensor) and v.dtype in (torch.float64, torch.complex128)
                       for _, v in flatten(out))
        expected.append((out, changed))
    _timed(timings, "run_source", now)

    now = time.monotonic()
    from . import candidate as cand

    cand.use_x64(uses_64)
    candidate_path = job["candidate"]
    try:
        candidate_module = cand.load(candidate_path, index)
    except Exception as exc:
        raise _Stop({"verdict": "not_equivalent", "stage": "compile_candidate",
                     "message": f"the candidate fails to import: {_describe(exc)}",
                     "diagnostics": [_diag(candidate_path, exc, "importing the candidate")]})
    _timed(timings, "compile_candidate", now)

    from .compare_trees import compare

    callables = {}
    mismatches, problems_seen = [], []
    run_time = compare_time = 0.0
    ran = 0
    for number, ((family, case_seed, key, inputs), result) in enumerate(zip(cases, expected)):
        if result is None:
            continue
        state["inputs"].append(_summary(family, case_seed, configs[key][1], inputs))
        if time.monotonic() > started + job["budget"] * 0.9 and ran:
            state["warnings"].append(f"time budget spent: {len(cases) - number} case(s) not run")
            break
        now = time.monotonic()
        try:
            if key not in callables:
                module_k = configs[key][0]
                target = references[key]
                state_dict = target.state_dict() if isinstance(target, torch.nn.Module) else {}
                callables[key] = cand.Callable_(candidate_module, spec["entry"], spec["kind"],
                                                ref.init_inputs(module_k) if spec["kind"] == "class" else [],
                                                state_dict, mode)
            actual = callables[key]([x.clone() if isinstance(x, torch.Tensor) else x for x in inputs])
        except Exception as exc:
            raise _Stop({"verdict": "not_equivalent", "stage": "run", "cases": number + 1,
                         "message": f"the candidate fails on case {number} ({family} inputs): {_describe(exc)}",
                         "diagnostics": [_diag(candidate_path, exc, f"case {number}")]})
        run_time += time.monotonic() - now
        ran += 1
        now = time.monotonic()
        out, changed = result
        if mode == "train" and changed:
            if not (isinstance(actual, (tuple, list)) and len(actual) == 2 and isinstance(actual[1], dict)):
                problems_seen.append(f"case {number}: in train mode the candidate must return (output, "
                                     f"{{buffer: new value}}) for the buffers it updates ({', '.join(changed)})")
                break
            actual_out, updates = actual
            missing = [k for k in changed if k not in updates]
            if missing:
                problems_seen.append(f"case {number}: the candidate does not update {', '.join(missing)}")
                break
            found, problems = compare(out, actual_out, number, uses_64, job["rtol"], job["atol"])
            more, more_problems = compare([changed[k] for k in changed], [updates[k] for k in changed], number,
                                          uses_64, job["rtol"], job["atol"], prefix="buffers")
            found, problems = found + _rename(more, list(changed)), problems + more_problems
        else:
            found, problems = compare(out, actual, number, uses_64, job["rtol"], job["atol"])
        compare_time += time.monotonic() - now
        if problems:
            problems_seen += [f"case {number} ({family}): {p}" for p in problems]
            break
        mismatches += found
    timings["run"] = round(run_time + timings.get("run_source", 0.0), 4)
    timings["compare"] = round(compare_time, 4)
    state["x64"] = uses_64
    state["cases"] = len(state["inputs"])
    if problems_seen:
        return {**state, "verdict": "not_equivalent", "stage": "compare", "message": problems_seen[0],
                "mismatches": [], "problems": problems_seen}
    if mismatches:
        first = mismatches[0]
        family = state["inputs"][first["case"]]["family"] if first["case"] < len(state["inputs"]) else "?"
        message = (f"outputs differ: {first['output']}{first['index']} in case {first['case']} ({family} inputs): "
                   f"expected {first['expected']}, got {first['actual']} ({first['count']} of {first['of']} "
                   f"elements differ)")
        return {**state, "verdict": "not_equivalent", "stage": "compare", "message": message,
                "mismatches": mismatches[:MAX_MISMATCHES]}
    families = sorted({c["family"] for c in state["inputs"]})
    return {**state, "verdict": "equivalent", "stage": "compare", "mismatches": [],
            "message": f"equivalent on {state['cases']} case(s) ({', '.join(families)} inputs, {mode} mode)"}


def _rename(found: list[dict], names: list[str]) -> list[dict]:
    """buffers[i] -> the buffer's state_dict name."""
    for item in found:
        head, _, rest = item["output"].partition("]")
        try:
            item["output"] = names[int(head.removeprefix("buffers["))] + rest
        except (ValueError, IndexError):
            pass
    return found


def main(argv: list[str]) -> int:
    jobs_path, results_path = argv
    with open(jobs_path, encoding="utf-8") as handle:
        jobs = json.load(handle)
    import torch  # noqa: F401  (imported once, before any pair's clock starts)

    from . import candidate  # noqa: F401  (jax, with its configuration)

    results = []
    for index, job in enumerate(jobs):
        try:
            results.append(verify_job(job, index))
        except Exception as exc:  # a harness bug: reported as an internal error of this job only
            results.append({"verdict": "error", "stage": None, "internal": True,
                            "message": f"internal error in the harness: {_describe(exc)}",
                            "warnings": [traceback.format_exc(limit=6)]})
        with open(results_path, "w", encoding="utf-8") as handle:  # after each job: a timeout keeps the rest
            json.dump(results, handle, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
