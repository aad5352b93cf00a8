"""Reproducers of the PyTorch -> JAX pair: one case's inputs and the reference's parameters
saved as npz, copies of the two files, transverify's harness modules for this pair
(reference.py, candidate.py, compare_trees.py: torch, jax and numpy only) and run.py, which runs
the torch reference and the JAX candidate on that case and compares as the verifier does.

Two halves:
  write_for_result(source, candidate, options, result)   parent side, after a verification:
      captures the case in a sandboxed process (the harness's own case plan, re-derived from
      the same seed) and writes the folder through verify/reproducer.write_reproducer
  python -m transverify.verify.torch_jax.reproducer JOB.json CASE   in the sandbox: writes
      case.npz and case.json for that case into the working directory
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
HARNESS_MODULES = ("reference.py", "candidate.py", "compare_trees.py", "transfer.py")


# ---- in the sandbox -------------------------------------------------------------------------

def _array(value, arrays: dict, name: str) -> dict:
    """A torch tensor as an npz entry (bfloat16 stored as float32 and cast back on load)."""
    import torch

    tensor = value.detach()
    dtype = str(tensor.dtype).removeprefix("torch.")
    if tensor.dtype == torch.bfloat16:
        tensor = tensor.float()
    arrays[name] = tensor.numpy()
    return {"array": name, "dtype": dtype}


def capture(job: dict, case_index: int) -> None:
    """case.npz and case.json of case `case_index` of the job, as the harness generates it."""
    import numpy as np
    import torch

    from . import reference_side as harness
    from . import reference as ref

    spec, mode = job["spec"], job["mode"]
    source = ref.SourceFile.read(job["source"])
    overrides = ref.shrink(source, spec, mode, time.monotonic() + job["budget"] * 0.6)
    configs = {(): (source.load(overrides), overrides)}
    references = {(): ref.build(configs[()][0], spec)}
    cases = harness._plan_cases(job, spec, source, configs[()][0], configs, references, overrides, mode,
                                {"warnings": []})
    if not 0 <= case_index < len(cases):
        sys.exit(f"case {case_index} does not exist (cases 0..{len(cases) - 1} were generated)")
    family, seed, key, inputs = cases[case_index]
    reference = references[key]
    arrays: dict = {}
    described = []
    for number, value in enumerate(inputs):
        if isinstance(value, torch.Tensor):
            described.append(_array(value, arrays, f"input{number}"))
        else:
            described.append({"value": value})
    state = {}
    if isinstance(reference, torch.nn.Module):
        for number, (name, value) in enumerate(reference.state_dict().items()):
            state[name] = _array(value, arrays, f"state{number}")
    np.savez("case.npz", **arrays)
    record = {"case": case_index, "family": family, "seed": seed, "entry": spec["entry"], "spec": spec, "mode": mode,
              "overrides": dict(configs[key][1]), "rtol": job["rtol"], "atol": job["atol"], "inputs": described,
              "state": state}
    with open("case.json", "w", encoding="utf-8") as handle:
        json.dump(record, handle, indent=1, default=str)


def main(argv: list[str]) -> int:
    job_path, case = argv
    with open(job_path, encoding="utf-8") as handle:
        job = json.load(handle)
    capture(job, int(case))
    return 0


# ---- parent side ----------------------------------------------------------------------------

class _Plan:
    """The folder's files for the one captured case (write_reproducer's plan protocol)."""

    def __init__(self, count: int, files: dict[str, bytes]):
        self.cases = list(range(count))
        self._files = files

    def files(self, case_index: int) -> dict[str, bytes]:
        return self._files


def write_for_result(source: Path, candidate: Path, options, result) -> None:
    from .. import sandbox
    from ..errors import VerifyInputError
    from ..reproducer import ReproducerError, verify_command, write_reproducer
    from .runner import IMPORT_SECONDS, MEMORY_MB, _package_dirs, budget_seconds
    from .spec import read_source_spec

    def refuse(why: str) -> None:
        result.warnings.append(f"no reproducer written: {why}")

    if not result.cases:
        return refuse("the verification stopped before inputs were generated")
    case = options.reproducer_case
    if case is None:
        failing = [m.case for m in result.mismatches if isinstance(m.case, int)]
        found = re.search(r"\bon case (\d+)", result.message or "")
        case = failing[0] if failing else int(found.group(1)) if found else 0
    if not 0 <= case < max(result.cases, options.cases):
        return refuse(f"case {case} does not exist (cases 0..{result.cases - 1} were run)")
    try:
        spec = read_source_spec(source, options.entry, options.inputs)
    except VerifyInputError as exc:
        return refuse(exc.describe())
    workdir = sandbox.make_workdir("transverify-jax-repro-")
    try:
        copy = workdir / Path(source).name
        shutil.copyfile(source, copy)
        copy.chmod(0o644)
        job = {"source": str(copy), "spec": spec.to_dict(), "mode": options.mode, "cases": options.cases,
               "seed": options.seed, "rtol": options.rtol, "atol": options.atol, "budget": budget_seconds(options)}
        (workdir / "job.json").write_text(json.dumps(job))
        timeout = IMPORT_SECONDS + job["budget"]
        outcome = sandbox.run([sys.executable, "-m", "transverify.verify.torch_jax.reproducer", "job.json", str(case)],
                              workdir, sandbox.Limits(timeout=timeout, memory_mb=MEMORY_MB,
                                                      cpu_seconds=int(timeout * 8) + 10, max_processes=1024),
                              env={"JAX_PLATFORMS": "cpu", "PYTHONDONTWRITEBYTECODE": "1", "TF_CPP_MIN_LOG_LEVEL": "2",
                                   "PYTHONHASHSEED": "0"},
                              cancel=options.cancel, code_dirs=_package_dirs(), writable=["case.npz", "case.json"])
        if outcome.returncode != 0 or not (workdir / "case.json").exists():
            tail = " | ".join(outcome.stderr_text.strip().splitlines()[-2:])
            return refuse(f"capturing case {case} {outcome.describe_failure()}" + (f": {tail}" if tail else ""))
        files = {"reference/user_source.py": Path(source).read_bytes(),
                 "candidate/user_candidate.py": Path(candidate).read_bytes(),
                 "case.npz": (workdir / "case.npz").read_bytes(), "case.json": (workdir / "case.json").read_bytes(),
                 "tv_harness/__init__.py": b'"""transverify\'s PyTorch -> JAX harness modules, as they verified."""\n'}
        for name in HARNESS_MODULES:
            files[f"tv_harness/{name}"] = (HERE / name).read_bytes()
        command = verify_command(source, candidate, options)
        if options.mode != "eval":
            command += f" --mode {options.mode}"
        for name, value in options.inputs.items():
            command += f" --input {name}={value}"
        files["run.py"] = _RUN_PY.encode()
        files["run.sh"] = (f"#!/bin/sh\n# Reproduces case {case} of: {command}\n"
                           "# Runs the torch reference and the JAX candidate on it and compares (python3 run.py).\n"
                           "# Exit 0: equivalent on this case; 1: not (or the environment lacks torch/jax). This runs your code as you, outside "
                           "transverify's sandbox.\n"
                           'cd "$(dirname "$0")"\nJAX_PLATFORMS=${JAX_PLATFORMS:-cpu} exec "${PYTHON:-python3}" run.py\n'
                           ).encode()
        files["README.md"] = _readme(case, command, Path(source).name, Path(candidate).name).encode()
        try:
            directory = write_reproducer(options.reproducer, _Plan(max(result.cases, case + 1), files), case)
        except ReproducerError as exc:
            return refuse(str(exc))
        result.reproducer = {"directory": str(directory), "case": case, "command": f"sh {directory / 'run.sh'}"}
    finally:
        sandbox.remove_workdir(workdir)


def _readme(case: int, command: str, source: str, candidate: str) -> str:
    return f"""# Reproducer: case {case} (PyTorch -> JAX)

Generated by `{command}`.

Run `sh run.sh` (or `python3 run.py`; `PYTHON` names another interpreter) where torch, jax and
numpy are installed: it builds the torch reference from `reference/user_source.py` (a copy of
{source}, with the same shrunk constants the verifier used), loads its parameters and this case's
inputs from `case.npz` (described in `case.json`), runs it, hands the same parameters to the
candidate `candidate/user_candidate.py` (a copy of {candidate}) under `jax.jit`, and compares
with transverify's own harness modules (`tv_harness/`) and tolerances. Exit 0: they agree on
this case; 1: they differ (the differing elements are printed) or the candidate fails.
The scripts run your code as you, outside transverify's sandbox.
"""


_RUN_PY = r'''#!/usr/bin/env python3
"""Run the torch reference and the JAX candidate on this case and compare (exit 0 agree, 1 not)."""
import json
import os
import sys

try:
    import jax  # noqa: F401
    import numpy as np
    import torch
except ImportError as exc:
    sys.exit(f"run.py needs torch, jax and numpy ({exc}); set PYTHON to an interpreter that has them")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.chdir(os.path.dirname(os.path.abspath(__file__)))
from tv_harness import candidate as cand  # noqa: E402
from tv_harness import reference as ref  # noqa: E402
from tv_harness.compare_trees import compare, flatten, leaves  # noqa: E402
from tv_harness.transfer import leaf_record  # noqa: E402

WIDE = (torch.float64, torch.complex128)


def side(values, names=None):
    """Leaves of one side as the verifier compares them (name, array, dtype, from a tensor)."""
    arrays = {}
    pairs = flatten(values) if names is None else list(zip(names, values))
    return leaves([leaf_record(n, v, arrays, f"a{j}") for j, (n, v) in enumerate(pairs)], arrays)


def array(entry, data):
    return np.array(cand.as_dtype(np.array(data[entry["array"]]), entry["dtype"]))


def plain(value):
    if isinstance(value, torch.Tensor):
        return array({"array": "v", "dtype": str(value.dtype).removeprefix("torch.")},
                     {"v": value.detach().float().numpy() if value.dtype == torch.bfloat16 else value.detach().numpy()})
    return value


def tensor(entry, data):
    value = torch.from_numpy(np.array(data[entry["array"]]))
    return value.to(torch.bfloat16) if entry["dtype"] == "bfloat16" else value


def main():
    with open("case.json", encoding="utf-8") as handle:
        case = json.load(handle)
    data = np.load("case.npz")
    spec, mode, number = case["spec"], case["mode"], case["case"]
    inputs = [tensor(e, data) if "array" in e else e["value"] for e in case["inputs"]]
    module = ref.SourceFile.read("reference/user_source.py").load(case["overrides"])
    reference = ref.build(module, spec)
    if isinstance(reference, torch.nn.Module):
        reference.load_state_dict({name: tensor(e, data) for name, e in case["state"].items()})
    out, changed = ref.run(reference, inputs, mode)
    uses_64 = any(isinstance(x, torch.Tensor) and x.dtype in WIDE for x in inputs)
    if isinstance(reference, torch.nn.Module):
        uses_64 |= any(p.dtype in WIDE for p in reference.state_dict().values())
    uses_64 |= any(isinstance(v, torch.Tensor) and v.dtype in WIDE for _, v in flatten(out))
    cand.use_x64(uses_64)
    try:
        module_c = cand.load("candidate/user_candidate.py", 0)
        # The candidate sees plain numpy arrays, as in the verifier's candidate process.
        state = {name: array(e, data) for name, e in case["state"].items()}
        init = [plain(v) for v in ref.init_inputs(module)] if spec["kind"] == "class" else []
        call = cand.Callable_(module_c, spec["entry"], spec["kind"], init, state, mode)
        actual = call([array(e, data) if "array" in e else e["value"] for e in case["inputs"]])
    except Exception as exc:  # the candidate's own failure is the verdict
        print(f"the candidate fails on case {number}: {exc.__class__.__name__}: {exc}")
        return 1
    if mode == "train" and changed:
        if not (isinstance(actual, (tuple, list)) and len(actual) == 2 and isinstance(actual[1], dict)):
            print("in train mode the candidate must return (output, {buffer: new value})")
            return 1
        actual, updates = actual
        missing = [k for k in changed if k not in updates]
        if missing:
            print(f"the candidate does not update {', '.join(missing)}")
            return 1
        found, problems = compare(side(out), side(actual), number, uses_64, case["rtol"], case["atol"])
        names = list(changed)
        more, more_problems = compare(side([changed[k] for k in names], names), side([updates[k] for k in names], names),
                                      number, uses_64, case["rtol"], case["atol"], prefix="buffers")
        found, problems = found + more, problems + more_problems
    else:
        found, problems = compare(side(out), side(actual), number, uses_64, case["rtol"], case["atol"])
    for problem in problems:
        print(problem)
    for m in found:
        print(f"{m['output']}{m['index']}: expected {m['expected']}, got {m['actual']} "
              f"({m['count']} of {m['of']} elements differ)")
    if problems or found:
        print(f"not equivalent on case {number} of {case['entry']}")
        return 1
    print(f"equivalent on case {number} of {case['entry']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
'''


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
