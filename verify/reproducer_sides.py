"""Reproducers of two sides that shell commands build into `prog`: whole programs (compared on
stdout and exit status) and the CUDA pairs' unit harness (a case file in, count-prefixed
outputs out). Fortran -> C++ program mode and both CUDA pairs use it; Fortran -> C++ unit mode
has its own plan (verify/reproducer.py), whose writer writes these plans too.

Public API:
  Side(folder, files, build, race=False)          one side: its files and the shell build line
  SidesPlan(...)                                  `cases` and `files(case_index)`, for write_reproducer
  cuda_prelude(), cuda_build(cuda_file, layer_file, extra, ...)  shell text choosing and building
      a CUDA side on a GPU (nvcc) or on the CPU execution layer (g++)

The comparison script embeds the verifier's own stdout rule (verify/compare.py's functions,
standard library only), so a reproducer judges a case exactly as the verifier did.
"""

from __future__ import annotations

import inspect
import json
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROGRAM, UNIT = "program", "unit"
# stderr of a run that failed even with exit status 0 (the CUDA layer's and the sanitizer's
# reports, verify/cuda/runtime_errors.py)
CUDA_FAILURE_MARKERS = ("ERROR: AddressSanitizer", "tvcuda launch error:", "tvcuda error:")


@dataclass
class Side:
    folder: str  # "reference" or "candidate"
    files: dict[str, bytes]  # relative path -> content
    build: str  # shell command run in the folder; it builds ./prog
    race: bool = False  # a CUDA side: rerun with each block's threads reversed when on the CPU layer


@dataclass
class SidesPlan:
    pair: str
    mode: str  # PROGRAM or UNIT
    entry: str
    source_name: str
    candidate_name: str
    reference: Side
    candidate: Side
    env: dict[str, str]  # environment of every run (the verifier's)
    verify_command: str
    cuda: bool = False  # the script chooses GPU or CPU execution for CUDA sides
    failure_markers: tuple[str, ...] = ()
    outputs: list[dict[str, Any]] = field(default_factory=list)  # UNIT: name, dtype, rtol, atol, scale
    case_lines: list[str] = field(default_factory=list)  # UNIT: the harness's line of each case
    summaries: list[dict] = field(default_factory=list)  # UNIT: each case's inputs, readable
    stdout_tolerance: tuple[float, float] = (1e-4, 1e-6)  # PROGRAM: rtol, atol of numbers in stdout

    @property
    def cases(self) -> list:
        return list(self.case_lines) if self.mode == UNIT else [0]

    def files(self, case_index: int) -> dict[str, bytes]:
        files: dict[str, bytes] = {}
        for side in (self.reference, self.candidate):
            files.update({f"{side.folder}/{name}": data for name, data in side.files.items()})
        case_json: dict[str, Any] = {"pair": self.pair, "mode": self.mode, "entry": self.entry, "case": case_index}
        if self.mode == UNIT:
            files["cases.txt"] = f"1\n{self.case_lines[case_index]}\n".encode()
            case_json["inputs"] = self.summaries[case_index] if case_index < len(self.summaries) else {}
            case_json["outputs"] = self.outputs
        else:
            case_json["inputs"] = "none: both programs run with no arguments and empty stdin"
            case_json["stdout_tolerance"] = {"rtol": self.stdout_tolerance[0], "atol": self.stdout_tolerance[1]}
        files["case.json"] = (json.dumps(case_json, indent=1) + "\n").encode()
        files["compare.py"] = compare_script().encode()
        files["run.sh"] = self._run_sh(case_index).encode()
        files["README.md"] = self._readme(case_index).encode()
        return files

    # ---- run.sh ------------------------------------------------------------------------------

    def _run_sh(self, case_index: int) -> str:
        env = " ".join(f"{k}={shlex.quote(v)}" for k, v in self.env.items())
        if self.mode == UNIT:
            invoke = 'env {env} $3 ./prog ../cases.txt "outputs$2.bin" 2>"stderr$2.txt"'
            what = f"on case {case_index}"
        else:
            invoke = 'env {env} $3 ./prog </dev/null >"stdout$2.txt" 2>"stderr$2.txt"'
            what = "(the programs run with no arguments and empty stdin)"
        markers = " ".join(f"-e {shlex.quote(m)}" for m in self.failure_markers)
        check_markers = f'  if grep -q {markers} "$1/stderr$2.txt"; then return 1; fi\n' if markers else ""
        # A program's exit status is compared, not judged; a signal (128 + n) is a failure.
        judged = '[ "$status" -lt 128 ]' if self.mode == PROGRAM else '[ "$status" -eq 0 ]'
        race = []
        for side, fail in ((self.reference, 2), (self.candidate, 1)):
            race.append(f"run_side {side.folder} {fail}")
            if side.race:
                race.append(f'if [ "$EXECUTION" = cpu ]; then race_check {side.folder} {fail}; fi')
        prelude = cuda_prelude() if self.cuda else ""
        return f"""#!/bin/sh
# Reproduces {'case ' + str(case_index) + ' of' if self.mode == UNIT else 'the programs of'}: {self.verify_command}
# Builds both sides with the flags the verifier used, runs each {what} and compares
# the outputs (python3 compare.py). Exit 0: equivalent; 1: not (or the candidate fails);
# 2: the reference does not build or fails. This runs your code as you, outside transverify's sandbox.
set -u
cd "$(dirname "$0")"
CXX=${{CXX:-g++}}
FC=${{FC:-gfortran}}
{prelude}(cd reference && {self.reference.build}) || {{ echo "the reference does not build"; exit 2; }}
(cd candidate && {self.candidate.build}) || {{ echo "the candidate does not build"; exit 1; }}

run_once() {{  # folder, suffix of its output files, extra environment
  (cd "$1" && {invoke.format(env=env)})
  status=$?
  echo "$status" > "$1/status$2.txt"
{check_markers}  {judged}
}}

run_side() {{  # folder, exit status of this script when it fails
  if ! run_once "$1" "" ""; then
    echo "the $1 failed (status $status) {what}"
    grep -e 'ERROR: AddressSanitizer' -e '^SUMMARY' -e 'tvcuda' "$1/stderr.txt" || tail -n 5 "$1/stderr.txt"
    exit "$2"
  fi
}}

race_check() {{  # the CPU layer's race check: the threads of every block again, last to first
  run_once "$1" _reverse TVCUDA_THREAD_ORDER=reverse || {{ echo "the $1 failed (status $status) with reversed threads"; exit "$2"; }}
  python3 compare.py --race "$1" || exit "$2"
}}

{chr(10).join(race)}
exec python3 compare.py
"""

    def _readme(self, case_index: int) -> str:
        if self.mode == UNIT:
            inputs = (f"The inputs of case {case_index}: `cases.txt` holds its scalars and the seed from which "
                      "the harness fills every array (the same generator as in the verification); `case.json` lists "
                      "them readably, with the outputs' types and tolerances. Each side writes `outputs.bin`.")
        else:
            inputs = ("Both programs run with no arguments and empty stdin; stdout (`stdout.txt`) and the exit "
                      "status (`status.txt`) are compared, numbers within the verifier's tolerances.")
        cuda = ("\nCUDA sides run on a GPU (built with `nvcc -O2 -arch=native`) when `nvidia-smi -L` lists one and "
                "nvcc is found, else on transverify's CPU execution layer (`tvcuda_runtime.h`, with the launch-"
                "rewritten copy `*_cpu.cpp`, built by g++), where each CUDA side also runs a second time with the "
                "threads of every block in reverse order (the verifier's race check). "
                "`TRANSVERIFY_CUDA_EXECUTION=cpu` or `=gpu` forces one; `NVCC` names nvcc.\n" if self.cuda else "")
        return f"""# Reproducer: {'case ' + str(case_index) + ' of ' if self.mode == UNIT else ''}`{self.entry}` ({self.pair})

Generated by `{self.verify_command}`.

Run `sh run.sh`: it builds `reference/` ({self.source_name}, copied as
`{_copy_name('user_source', self.source_name)}`) and `candidate/` ({self.candidate_name}, copied as
`{_copy_name('user_candidate', self.candidate_name)}`), each with the generated code it needs, with the
verifier's compiler flags, runs both and compares the outputs with `compare.py` (the verifier's
rule and tolerances, standard library only). Exit 0: the two agree; 1: they differ (the
differing elements are printed) or the candidate fails; 2: the reference fails.

{inputs}
{cuda}
Set `CXX`/`FC` to use other compilers. The scripts run your code as you, outside transverify's sandbox.
"""


def _copy_name(stem: str, name: str) -> str:
    return stem + Path(name).suffix


def cuda_prelude() -> str:
    """Shell lines that set EXECUTION to gpu or cpu as the verifier decides (a listed GPU and nvcc)."""
    return """NVCC=${NVCC:-nvcc}
EXECUTION=${TRANSVERIFY_CUDA_EXECUTION:-auto}
if [ "$EXECUTION" != gpu ] && [ "$EXECUTION" != cpu ]; then
  EXECUTION=cpu
  if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L 2>/dev/null | grep -q '^GPU ' \\
      && command -v "$NVCC" >/dev/null 2>&1; then EXECUTION=gpu; fi
fi
echo "CUDA sides run on: $EXECUTION" >&2
"""


def cuda_build(cuda_file: str, layer_file: str | None, extra: list[str], gpu_argv: list[str],
               cpu_argv: list[str]) -> str:
    """The build line of a CUDA side: nvcc on a GPU, g++ against the CPU layer otherwise.
    `layer_file` is None when the CPU layer cannot take the file (the reason is printed)."""
    words = " ".join(shlex.quote(w) for w in extra)
    gpu = f'"$NVCC" {" ".join(shlex.quote(w) for w in gpu_argv)} -o prog {shlex.quote(cuda_file)} {words}'.rstrip()
    if layer_file is None:
        cpu = "{ echo 'this CUDA file uses a construct the CPU execution layer lacks: it needs a GPU'; false; }"
    else:
        cpu = f'"$CXX" {" ".join(shlex.quote(w) for w in cpu_argv)} -o prog {shlex.quote(layer_file)} {words}'.rstrip()
    return f'if [ "$EXECUTION" = gpu ]; then {gpu}; else {cpu}; fi'


def compare_script() -> str:
    """compare.py: the verifier's stdout rule (its own functions) and its element rule."""
    from . import compare

    special = ", ".join(f"{k!r}: float({str(v)!r})" for k, v in compare._SPECIAL.items())
    functions = "\n\n".join(inspect.getsource(f) for f in (compare.tokenize_output, compare._to_float,
                                                          compare.compare_stdout, compare.compare_exit_status))
    return (_SCRIPT_HEAD + f"MAX_MISMATCHES = {compare.MAX_MISMATCHES}\n_SPECIAL = {{{special}}}\n"
            f"_NUMBER = re.compile({compare._NUMBER.pattern!r})\n\n\n{functions}\n" + _SCRIPT_TAIL)


_SCRIPT_HEAD = r'''#!/usr/bin/env python3
"""Compare the reference's outputs with the candidate's as transverify does.

Programs: stdout token by token (numbers within a relative 1e-4 or absolute 1e-6, other tokens
exactly; gfortran's spellings of numbers match C++'s) and the exit status.
Unit harness: per output |actual - expected| <= atol + rtol*|expected| per element (atol: the
given bound, or scale x the largest finite |expected| of the output), NaN equals NaN,
infinities match exactly, integers and booleans exactly; complex values part by part.
`compare.py --race FOLDER` compares FOLDER's run with its run on reversed threads.
Exit 0 when they agree, 1 when they differ."""
from __future__ import annotations

import array
import json
import math
import re
import sys
from dataclasses import dataclass


@dataclass
class Mismatch:
    output: str
    case: int
    index: object
    expected: object
    actual: object
    abs_err: float | None = None
    rel_err: float | None = None


'''

_SCRIPT_TAIL = r'''

CODES = {"float32": "f", "float64": "d", "complex64": "f", "complex128": "d", "bool": "B", "int8": "b",
         "uint8": "B", "int16": "h", "uint16": "H", "int32": "i", "uint32": "I", "int64": "q", "uint64": "Q"}


def read_text(path):
    with open(path, "rb") as handle:
        return handle.read().decode("utf-8", "replace")


def load_counted(path, outputs):
    """The harness's file: per output a little-endian u64 count, then the raw elements."""
    with open(path, "rb") as handle:
        data = handle.read()
    values, offset = {}, 0
    for out in outputs:
        if offset + 8 > len(data):
            sys.exit(f"{path}: ended before output {out['name']} (the program stopped early?)")
        count = int.from_bytes(data[offset:offset + 8], "little")
        offset += 8
        items = array.array(CODES[out["dtype"]])
        size = count * (2 if out["dtype"].startswith("complex") else 1) * items.itemsize
        if offset + size > len(data):
            sys.exit(f"{path}: ended inside output {out['name']}")
        items.frombytes(data[offset:offset + size])
        values[out["name"]] = items.tolist()
        offset += size
    return values


def differing(out, exp, act, limit):
    """[(flat index, expected, actual)] of the elements outside the tolerance."""
    if len(exp) != len(act):
        return [(None, f"{len(exp)} values", f"{len(act)} values")]
    if out["dtype"] not in ("float32", "float64", "complex64", "complex128"):
        return [(i, e, a) for i, (e, a) in enumerate(zip(exp, act)) if e != a][:limit]
    finite = [abs(e) for e in exp if math.isfinite(e)]
    atol = out["atol"] if out["atol"] is not None else out["scale"] * max(finite, default=0.0)
    found = []
    for i, (e, a) in enumerate(zip(exp, act)):
        same = (math.isfinite(e) and abs(a - e) <= atol + out["rtol"] * abs(e)) \
            or (math.isnan(e) and math.isnan(a)) or (math.isinf(e) and e == a)
        if same:
            continue
        if out["dtype"].startswith("complex"):  # parts interleaved: report the complex value
            k = i // 2
            if found and found[-1][0] == k:
                continue
            found.append((k, complex(exp[2 * k], exp[2 * k + 1]), complex(act[2 * k], act[2 * k + 1])))
        else:
            found.append((i, e, a))
        if len(found) >= limit:
            break
    return found


def show(value, dtype):
    if dtype == "float32" and isinstance(value, float):
        return f"{value:.9g}"  # 9 digits identify a float32
    return str(value)


def compare_units(case, expected_path, actual_path, limit):
    outputs = case["outputs"]
    expected, actual = load_counted(expected_path, outputs), load_counted(actual_path, outputs)
    rows = []
    for out in outputs:
        for index, e, a in differing(out, expected[out["name"]], actual[out["name"]], limit - len(rows)):
            where = "" if index is None else f"[{index}]"
            rows.append(f"{out['name']}{where}: expected {show(e, out['dtype'])}, got {show(a, out['dtype'])}")
        if len(rows) >= limit:
            break
    return rows


def compare_programs(case, expected_stem, actual_stem):
    rtol, atol = case["stdout_tolerance"]["rtol"], case["stdout_tolerance"]["atol"]
    found = compare_stdout(read_text(expected_stem + "stdout.txt"), read_text(actual_stem + "stdout.txt"),
                           rtol=rtol, atol=atol)
    found += compare_exit_status(int(read_text(expected_stem + "status.txt")),
                                 int(read_text(actual_stem + "status.txt")))
    rows = []
    for m in found[:MAX_MISMATCHES]:
        if m.output == "exit_status":
            rows.append(f"exit status: expected {m.expected}, got {m.actual}")
        else:
            rows.append(f"stdout token {m.index}: expected {m.expected!r}, got {m.actual!r}")
    return rows


def main(argv):
    with open("case.json") as handle:
        case = json.load(handle)
    what = f"case {case['case']} of {case['entry']}" if case["mode"] == "unit" else f"{case['entry']}"
    if len(argv) == 2 and argv[0] == "--race":
        folder = argv[1]
        if case["mode"] == "unit":
            rows = compare_units(case, f"{folder}/outputs.bin", f"{folder}/outputs_reverse.bin", 1)
        else:
            rows = compare_programs_pair(case, folder)
        if rows:
            print(f"data race in the {folder}: the result depends on the order in which the threads of a block "
                  f"run between barriers ({rows[0]}; expected: threads first to last, got: last to first); "
                  "a missing __syncthreads()?")
            return 1
        return 0
    if case["mode"] == "unit":
        rows = compare_units(case, "reference/outputs.bin", "candidate/outputs.bin", MAX_MISMATCHES)
    else:
        rows = compare_programs(case, "reference/", "candidate/")
    for row in rows:
        print(row)
    if rows:
        print(f"not equivalent: {len(rows)} mismatch(es) on {what}")
        return 1
    print(f"equivalent on {what}")
    return 0


def compare_programs_pair(case, folder):
    rtol, atol = case["stdout_tolerance"]["rtol"], case["stdout_tolerance"]["atol"]
    found = compare_stdout(read_text(f"{folder}/stdout.txt"), read_text(f"{folder}/stdout_reverse.txt"),
                           rtol=rtol, atol=atol, limit=1)
    return [f"stdout token {m.index}: expected {m.expected!r}, got {m.actual!r}" for m in found]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
'''


def shell_compile(argv: list[str]) -> str:
    """A compile line whose first word names the environment variable of the compiler (FC, CXX)."""
    return f'"${argv[0]}" ' + " ".join(shlex.quote(word) for word in argv[1:])


def program_plan(pair: str, source: Path, candidate: Path, options, ref_dir: Path, cand_dir: Path, *,
                 reference_compile: list[str], candidate_compile: list[str], env: dict[str, str]) -> SidesPlan:
    """A plan for a program-mode run whose build directories hold the user's files (and what the
    source INCLUDEs or USEs); the compile lines end before `-o prog`."""
    from .reproducer import _snapshot, verify_command

    return SidesPlan(
        pair=pair, mode=PROGRAM, entry="main program", source_name=Path(source).name,
        candidate_name=Path(candidate).name,
        reference=Side("reference", _snapshot(ref_dir), shell_compile([*reference_compile, "-o", "prog"])),
        candidate=Side("candidate", _snapshot(cand_dir), shell_compile([*candidate_compile, "-o", "prog"])),
        env=env, verify_command=verify_command(source, candidate, options))
