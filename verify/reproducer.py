"""A standalone reproducer of one generated case: the harness the verifier generated, copies
of the user's two files, that case's inputs, and a script that builds both sides with the
verifier's flags, runs them on the case and compares the outputs with the verifier's rule.

Public API:
  ReproducerPlan                        what a pair collects while it sets up a unit-mode run
  unit_plan(source, candidate, options, proc, ref_dir, cand_dir, ...) -> ReproducerPlan
      snapshot of the prepared build directories (before anything but the user's files and the
      generated harness is put there); the pair sets `plan.cases` once inputs exist
  write_for_result(result, plan, options)
      writes options.reproducer for options.reproducer_case (default: the first failing case)
      and records it in result.reproducer, or says in result.warnings why it did not
  write_reproducer(directory, plan, case_index) -> Path
      writes the folder; refuses (ReproducerError) to write into a non-empty directory or
      through a symbolic link, and creates every file exclusively (nothing is overwritten).
      `plan` is a ReproducerPlan or a reproducer_sides.SidesPlan (Fortran -> C++ program mode,
      the CUDA pairs in both modes): anything with `cases` and `files(case_index)`.

The folder needs only the compilers and python3 (the comparison script uses the standard
library alone): it can be sent to a colleague or attached to a bug report.
"""

from __future__ import annotations

import json
import os
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

# Arrays longer than this are listed in case.json by their first elements only (inputs.bin
# holds them whole).
LISTED_ELEMENTS = 200


class ReproducerError(Exception):
    """The reproducer cannot be written (the message says where and why)."""


@dataclass
class ReproducerPlan:
    """Everything needed to rebuild and rerun one side-by-side unit-mode run."""

    entry: str
    source_name: str  # the user's source file name, for the README
    candidate_name: str
    reference_files: dict[str, bytes]  # relative path -> content, in reference/
    candidate_files: dict[str, bytes]  # relative path -> content, in candidate/
    reference_compile: list[str]  # argv; the first word is the environment variable of the compiler
    candidate_compile: list[str]
    reference_binary: str
    candidate_binary: str
    outputs: list[dict[str, Any]]  # per output in file order: name, dtype, shape, lower, rtol, atol, scale
    verify_command: str  # the `transverify verify` command line that generated the case
    cases: list[Any] = field(default_factory=list)  # unit_inputs.Case, one per generated case
    write_case_inputs: Any = None  # callable(list[Case]) -> bytes: the drivers' input file

    def files(self, case_index: int) -> dict[str, bytes]:
        """The reproducer's files (relative path -> content) for one case."""
        return _unit_files(self, case_index)


_COMPARE_PY = r'''#!/usr/bin/env python3
"""Compare reference/outputs.bin with candidate/outputs.bin as transverify does:
|actual - expected| <= atol + rtol*|expected| per element (atol: the given bound, or scale x the
largest finite |expected| of the output), NaN equals NaN, infinities match exactly, integers and
logicals exactly. Exit 0 when they agree, 1 when they differ."""
import array, json, math, sys

CODES = {"float32": "f", "float64": "d", "int32": "i", "int64": "q", "uint8": "B", "bool": "B"}


def load(path, outputs):
    with open(path, "rb") as handle:
        data = handle.read()
    values, offset = {}, 0
    for out in outputs:
        items = array.array(CODES[out["dtype"]])
        count = 1
        for extent in out["shape"]:
            count *= extent
        size = count * items.itemsize
        if offset + size > len(data):
            sys.exit(f"{path}: ended before output {out['name']} (the program stopped early?)")
        items.frombytes(data[offset:offset + size])
        values[out["name"]] = items.tolist()
        offset += size
    return values


def subscript(flat, shape, lower):
    if not shape:
        return ""
    subs = []
    for extent, low in zip(shape, lower):
        extent = max(extent, 1)
        subs.append(str(flat % extent + low))
        flat //= extent
    return "(" + ",".join(subs) + ")"


def main():
    case = json.load(open("case.json"))
    outputs = case["outputs"]
    expected, actual = load("reference/outputs.bin", outputs), load("candidate/outputs.bin", outputs)
    bad = 0
    for out in outputs:
        exp, act = expected[out["name"]], actual[out["name"]]
        finite = [abs(e) for e in exp if isinstance(e, float) and math.isfinite(e)]
        atol = out["atol"] if out["atol"] is not None else out["scale"] * max(finite, default=0.0)
        show = (lambda v: f"{v:.9g}") if out["dtype"] == "float32" else repr  # 9 digits identify a float32
        for flat, (e, a) in enumerate(zip(exp, act)):
            if isinstance(e, float):
                same = (math.isfinite(e) and abs(a - e) <= atol + out["rtol"] * abs(e)) \
                    or (math.isnan(e) and math.isnan(a)) or (math.isinf(e) and e == a)
            else:
                same = e == a
            if not same:
                bad += 1
                if bad <= 10:
                    print(f"{out['name']}{subscript(flat, out['shape'], out['lower'])}: expected {show(e)}, got {show(a)}")
    if bad:
        print(f"not equivalent: {bad} element(s) differ on case {case['case']} of {case['entry']}")
        return 1
    print(f"equivalent on case {case['case']} of {case['entry']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
'''


def _run_sh(plan: ReproducerPlan, case_index: int) -> str:
    def compile_line(argv: list[str]) -> str:
        tool, rest = argv[0], argv[1:]
        return f'"${tool}" ' + " ".join(shlex.quote(word) for word in rest)

    ref, cand = shlex.quote(plan.reference_binary), shlex.quote(plan.candidate_binary)
    return f"""#!/bin/sh
# Reproduces case {case_index} of: {plan.verify_command}
# Builds both sides with the flags the verifier used, runs each on this case's inputs and
# compares the outputs (python3 compare.py). Exit 0: equivalent on this case; 1: not.
# This runs your code as you, outside transverify's sandbox.
set -u
cd "$(dirname "$0")"
FC=${{FC:-gfortran}}
CXX=${{CXX:-g++}}
(cd reference && {compile_line(plan.reference_compile)}) || {{ echo "the reference does not compile"; exit 2; }}
(cd candidate && {compile_line(plan.candidate_compile)}) || {{ echo "the candidate does not compile"; exit 1; }}
(cd reference && ./{ref} ../inputs.bin outputs.bin) || {{ echo "the reference failed (status $?)"; exit 2; }}
status=0
(cd candidate && ./{cand} ../inputs.bin outputs.bin) || status=$?
if [ "$status" -ne 0 ]; then
  echo "the candidate failed with status $status on case {case_index}"
  exit 1
fi
exec python3 compare.py
"""


def _readme(plan: ReproducerPlan, case_index: int, case_json: dict) -> str:
    sizes = ", ".join(f"{k}={v}" for k, v in case_json["sizes"].items()) or "none"
    return f"""# Reproducer: case {case_index} of `{plan.entry}`

Generated by `{plan.verify_command}`.

Run `sh run.sh`: it builds `reference/` ({plan.source_name}, copied as `user_source{Path(plan.source_name).suffix}`,
with the generated Fortran wrapper and C driver) and `candidate/` ({plan.candidate_name}, copied as
`user_candidate{Path(plan.candidate_name).suffix}`, with the generated C++ driver that includes it) with the
verifier's compiler flags, runs both on `inputs.bin` (this case only) and compares the outputs
with `compare.py` (the verifier's tolerances). Exit 0: the two agree on this case; 1: they
differ (the differing elements are printed) or the candidate crashes.

Sizes of this case: {sizes}. Its inputs, readable: `case.json` (long arrays are listed by their
first {LISTED_ELEMENTS} elements; `inputs.bin` holds them whole). Set `FC`/`CXX` to use other
compilers. The scripts run your code as you, outside transverify's sandbox.
"""


def _readable(value: Any) -> Any:
    arr = np.asarray(value)
    if arr.dtype == np.uint8:  # CHARACTER
        return arr.tobytes().decode("latin-1")
    flat = arr.reshape(-1)
    listed = [_scalar(v) for v in flat[:LISTED_ELEMENTS]]
    if arr.ndim == 0:
        return listed[0]
    if flat.size > LISTED_ELEMENTS:
        return {"length": int(flat.size), "first": listed}
    return listed


def _scalar(value: np.generic) -> Any:
    if isinstance(value, np.floating):
        if not np.isfinite(value):
            return repr(float(value))  # strict JSON has no NaN or infinities
        return float(str(value)) if isinstance(value, np.float32) else float(value)  # 0.1 stays 0.1
    return value.item()


def verify_command(source: Path, candidate: Path, options) -> str:
    """The `transverify verify` command line that generates the same cases."""
    words = ["transverify", "verify", str(source), str(candidate)]
    if options.entry:
        words += ["--entry", options.entry]
    words += ["--cases", str(options.cases), "--seed", str(options.seed)]
    for flag, pairs in (("--shape", options.shapes), ("--value", options.values), ("--range", options.ranges),
                        ("--procedure", options.procedures)):
        for name, value in pairs.items():
            words += [flag, f"{name}={value}"]
    for flag, value in (("--rtol", options.rtol), ("--atol", options.atol)):
        if value is not None:
            words += [flag, str(value)]
    for directory in options.include_dirs:
        words += ["-I", str(directory)]
    if getattr(options, "fast_math", False):
        words.append("--fast-math")
    return " ".join(shlex.quote(w) for w in words)


def write_reproducer(directory: Path, plan, case_index: int) -> Path:
    """Write the reproducer of case `case_index` into `directory` (created; must be new or empty).

    `plan` is a ReproducerPlan or any plan with `cases` and `files(case_index)` (the other pairs'
    and modes' plans, verify/reproducer_sides.py)."""
    if not 0 <= case_index < len(plan.cases):
        raise ReproducerError(f"case {case_index} does not exist (cases 0..{len(plan.cases) - 1} were generated)")
    directory = Path(directory)
    if directory.is_symlink():
        raise ReproducerError(f"{directory} is a symbolic link; not writing through it")
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise ReproducerError(f"{directory} exists and is not an empty directory; not overwriting it")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReproducerError(f"{directory}: {exc.strerror or exc}") from None
    for name, data in plan.files(case_index).items():
        _create(directory, name, data, executable=name == "run.sh")
    return directory


def _unit_files(plan: ReproducerPlan, case_index: int) -> dict[str, bytes]:
    case = plan.cases[case_index]
    case_json = {"entry": plan.entry, "case": case_index, "sizes": dict(case.sizes),
                 "inputs": {name: _readable(value) for name, value in case.values.items()},
                 "outputs": [{**out, "shape": list(case.shapes.get(out["name"], ())),
                              "lower": list(case.lowers.get(out["name"], ()))} for out in plan.outputs]}
    files: dict[str, bytes] = {f"reference/{k}": v for k, v in plan.reference_files.items()}
    files.update({f"candidate/{k}": v for k, v in plan.candidate_files.items()})
    files["inputs.bin"] = plan.write_case_inputs([case])
    files["case.json"] = (json.dumps(case_json, indent=1) + "\n").encode()
    files["compare.py"] = _COMPARE_PY.encode()
    files["run.sh"] = _run_sh(plan, case_index).encode()
    files["README.md"] = _readme(plan, case_index, case_json).encode()
    return files


def _create(directory: Path, name: str, data: bytes, executable: bool) -> None:
    path = directory / name
    if directory.resolve() not in path.resolve().parents:
        raise ReproducerError(f"{name}: outside {directory}")
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o755 if executable else 0o644)
    except FileExistsError:
        raise ReproducerError(f"{path} exists; not overwriting it") from None
    except OSError as exc:
        raise ReproducerError(f"{path}: {exc.strerror or exc}") from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def unit_plan(source: Path, candidate: Path, options, proc, ref_dir: Path, cand_dir: Path, *,
              reference_compile: list[str], candidate_compile: list[str]) -> ReproducerPlan:
    """A plan for a Fortran unit-mode run whose build directories are prepared."""
    from .compare import default_tolerance
    from .unit_inputs import outputs_of, storage_dtype, write_inputs

    outputs = []
    for arg in outputs_of(proc):
        dtype = storage_dtype(arg)
        rtol, scale = default_tolerance(dtype)
        outputs.append({"name": arg.name, "dtype": "bool" if arg.base == "logical" else dtype.name,
                        "rtol": rtol if options.rtol is None else options.rtol, "atol": options.atol,
                        "scale": scale})
    return ReproducerPlan(
        entry=proc.name, source_name=Path(source).name, candidate_name=Path(candidate).name,
        reference_files=_snapshot(ref_dir), candidate_files=_snapshot(cand_dir),
        reference_compile=reference_compile, candidate_compile=candidate_compile,
        reference_binary=reference_compile[-1], candidate_binary=candidate_compile[-1], outputs=outputs,
        verify_command=verify_command(source, candidate, options),
        write_case_inputs=lambda cases: write_inputs(proc, cases))


def write_for_result(result, plan: ReproducerPlan | None, options) -> None:
    if plan is None or not plan.cases:
        result.warnings.append("no reproducer written: the verification stopped before inputs were generated")
        return
    case = options.reproducer_case
    if case is None:
        failing = [m.case for m in result.mismatches if isinstance(m.case, int)]
        case = failing[0] if failing else _crashed_case(result.message)
    try:
        directory = write_reproducer(options.reproducer, plan, case)
    except ReproducerError as exc:
        result.warnings.append(f"no reproducer written: {exc}")
        return
    result.reproducer = {"directory": str(directory), "case": case, "command": f"sh {directory / 'run.sh'}"}


def _snapshot(directory: Path) -> dict[str, bytes]:
    """The regular files under directory (relative path -> content); links are skipped."""
    files = {}
    for path in sorted(directory.rglob("*")):
        if path.is_file() and not path.is_symlink():
            files[path.relative_to(directory).as_posix()] = path.read_bytes()
    return files


def _crashed_case(message: str) -> int:
    """The case a crash, timeout or race message names ("... on case 3 (sizes ...)", "y[0] in
    case 1"), else 0."""
    found = re.search(r"\b(?:on|in) case (\d+)", message or "")
    return int(found.group(1)) if found else 0
