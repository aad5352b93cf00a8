"""The candidate's side of a PyTorch -> JAX verification, one sandboxed process of its own:

    python -m transverify.verify.torch_jax.candidate_side JOBS.json

For every job n (written by the parent) it loads the candidate, feeds it the inputs and
parameters of feed{n}.npz and writes its outputs to out{n}.npz and out{n}.json after every
case.  It sees neither the reference's outputs nor the comparison: the parent compares the
arrays, and trusts nothing else this process writes beyond "these are the candidate's values"."""

from __future__ import annotations

import os
import sys
import time

from .report import describe, diagnostic
from .transfer import TransferError, decode, leaf_record, load_arrays, load_json, save_arrays, write_json


def run_job(job: dict, index: int) -> None:
    import numpy as np

    from . import candidate as cand
    from .compare_trees import flatten

    started = time.monotonic()
    report = {"cases": {}, "failure": None, "timings": {}}
    arrays: dict = {}
    path = job["candidate"]

    def flush() -> None:
        report["timings"]["harness"] = round(time.monotonic() - started, 4)
        save_arrays(f"out{index}.npz", arrays)
        write_json(f"out{index}.json", report)

    feed = load_arrays(f"feed{index}.npz")
    cand.use_x64(job["x64"])
    now = time.monotonic()
    try:
        module = cand.load(path, index)
    except BaseException as exc:  # noqa: BLE001 - SystemExit at import is a failing candidate too
        report["failure"] = {"stage": "compile_candidate", "message": f"the candidate fails to import: "
                             f"{describe(exc)}", "diagnostics": [diagnostic(path, exc, "importing the candidate")]}
        flush()
        return
    report["timings"]["compile_candidate"] = round(time.monotonic() - now, 4)
    if job.get("localise") is not None:
        _localise(job, module, feed, report, arrays)
        flush()
        return
    callables = {}
    run_time = 0.0
    for number in job["order"]:
        case = job["cases"][number]
        if report["cases"] and time.monotonic() > started + job["budget"] * 0.9:
            report["budget_spent"] = True
            break
        now = time.monotonic()
        try:
            ci = case["config"]
            if ci not in callables:
                config = job["configs"][ci]
                state = {name: cand.as_dtype(feed[f"c{ci}_s{j}"], dtype)
                         for j, (name, dtype) in enumerate(zip(config["state"], config["state_dtypes"]))}
                callables[ci] = cand.Callable_(module, job["entry"], job["kind"],
                                               decode(config["init"], feed, cand.as_dtype), state, job["mode"])
            inputs = decode(case["inputs"], feed, lambda a, d: np.array(cand.as_dtype(a, d)))  # fresh copies
            actual = callables[ci](inputs)
        except BaseException as exc:  # noqa: BLE001 - SystemExit from the candidate fails the case
            report["failure"] = {"stage": "run", "case": number,
                                 "message": f"the candidate fails on case {number} ({case['family']} inputs): "
                                            f"{describe(exc)}", "diagnostics": [diagnostic(path, exc, f"case {number}")]}
            break
        run_time += time.monotonic() - now
        record: dict = {}
        if job["mode"] == "train" and case["changed"]:
            if not (isinstance(actual, (tuple, list)) and len(actual) == 2 and isinstance(actual[1], dict)):
                record["problem"] = (f"in train mode the candidate must return (output, {{buffer: new value}}) "
                                     f"for the buffers it updates ({', '.join(case['changed'])})")
            else:
                missing = [k for k in case["changed"] if k not in actual[1]]
                if missing:
                    record["problem"] = f"the candidate does not update {', '.join(missing)}"
                else:
                    record["buffers"] = [leaf_record(name, actual[1][name], arrays, f"k{number}_b{j}")
                                         for j, name in enumerate(case["changed"])]
                actual = actual[0]
        record["outputs"] = [leaf_record(name, leaf, arrays, f"k{number}_o{j}")
                             for j, (name, leaf) in enumerate(flatten(actual))]
        report["cases"][str(number)] = record
        report["timings"]["run"] = round(run_time, 4)
        flush()
    flush()


def _localise(job: dict, module, feed: dict, report: dict, arrays: dict) -> None:
    """One eager (unjitted) run of case job["localise"] with the candidate's layers recording
    their outputs: report["activations"] lists them by dotted name."""
    import numpy as np

    from . import candidate as cand
    from .activations import record_candidate

    number = job["localise"]
    case = job["cases"][number]
    config = job["configs"][case["config"]]
    store: dict = {}
    try:
        state = {name: cand.as_dtype(feed[f"c{case['config']}_s{j}"], dtype)
                 for j, (name, dtype) in enumerate(zip(config["state"], config["state_dtypes"]))}
        target = cand.Callable_(module, job["entry"], job["kind"], decode(config["init"], feed, cand.as_dtype),
                                state, job["mode"])
        if job["kind"] != "class":
            return
        record_candidate(target.instance, store)
        inputs = decode(case["inputs"], feed, lambda a, d: np.array(cand.as_dtype(a, d)))
        with cand.jax.disable_jit():
            target._call(target.params, *[cand.jnp.asarray(v) if isinstance(v, np.ndarray) else v for v in inputs])
    except BaseException:  # noqa: BLE001 - what was recorded before a failure still localises
        pass
    report["activations"] = [leaf_record(name, value, arrays, f"a{j}") for j, (name, value) in enumerate(store.items())]


def main(argv: list[str]) -> int:
    (jobs_path,) = argv
    jobs = load_json(jobs_path)
    from . import candidate  # noqa: F401  (jax, with its configuration, imported once)

    # Nothing the candidate prints is read: silenced at the descriptor, before any candidate loads.
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)

    for index, job in enumerate(jobs):
        try:
            run_job(job, index)
        except (TransferError, OSError) as exc:
            write_json(f"out{index}.json", {"cases": {}, "timings": {}, "failure": {
                "stage": "run", "message": f"the candidate's outputs cannot be passed back: {exc}",
                "diagnostics": []}})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
