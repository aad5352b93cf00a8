"""Translate and verify every routine of a directory of real Fortran code (kept outside the
repository: reference BLAS/LAPACK, NPB kernels, classic libraries).

For each .f/.f90/.F/.F90/.for file under DIR, every subroutine and function (or the main
program) is run through (a file that holds only modules without procedures has no routine)

    transverify translate FILE --entry NAME --to cpp --solver rules --json -o OUT

and counted as verified (exit 0), not verified (exit 1) or refused (exit 2). Refusals and
failures are grouped by reason (the construct the translator or the verifier names).

With --candidates CDIR, no translation is made: each routine NAME is verified against a
hand-written CDIR/NAME.cpp instead (`transverify verify`), which measures the verifier alone.
Routines without a candidate are skipped.

Usage:
  .venv/bin/python bench/real_fortran.py DIR [--workers 2] [--timeout 300] [--candidates CDIR]
                                             [--json] [--only NAME,...] [-I INCDIR ...]

-I INCDIR (repeatable) is passed on to translate/verify: where INCLUDE files and the sources of
called procedures are looked up besides each file's own directory (NPB's common/randdp.f).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SUFFIXES = {".f", ".f90", ".for", ".F", ".F90", ".f77", ".FOR"}
OUTCOMES = {0: "verified", 1: "not verified", 2: "refused"}
MODULE = re.compile(r"(?im)^\s*module\s+(?!procedure\b)\w+")


@dataclass
class Row:
    file: str
    routine: str
    exit_code: int
    outcome: str
    seconds: float
    reason: str


def _cli() -> list[str]:
    exe = Path(sys.executable).with_name("transverify")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "transverify"]


def routines(path: Path) -> list[str]:
    """Entry names of a file: the main program ("") if there is one, and every procedure."""
    from verify.errors import VerifyInputError
    from verify.fortran_signature import parse_fortran

    try:
        parsed = parse_fortran(path)
    except VerifyInputError:
        return [""]
    names = [p.name for p in parsed.procedures]
    if not names and not parsed.has_program and MODULE.search(parsed.text):
        return []  # a module of constants and types only (LAPACK's la_constants.f90): no routine
    return ([""] if parsed.has_program else []) + names or [""]


def reason_of(payload: dict | None, proc: subprocess.CompletedProcess) -> str:
    """A short, groupable reason: the construct named, else the stage and first message."""
    if payload is None:
        tail = (proc.stderr or proc.stdout).strip().splitlines()
        return tail[-1][:120] if tail else f"no output (exit {proc.returncode})"
    for item in payload.get("unsupported") or []:
        if isinstance(item, dict):
            return f"translate: {item.get('construct')}"
    result = payload.get("result") or payload
    message = payload.get("message") or result.get("message") or ""
    construct = re.search(r"\[([^\]]+)\]\s*$", message)
    stage = result.get("stage") or payload.get("stage") or ""
    if construct:
        return f"verify {stage}: [{construct.group(1)}]"
    words = re.sub(r"\S*/\S*", "", message)  # paths vary per file; the words group
    words = re.sub(r"\d+(\.\d+)?(e[-+]?\d+)?", "#", words)
    return f"verify {stage}: {' '.join(words.split())[:90]}"


def run_one(file: Path, routine: str, workdir: Path, timeout: float, candidates: Path | None,
            includes: list[Path] = ()) -> Row | None:
    entry = ["--entry", routine] if routine else []
    entry += [flag for d in includes for flag in ("-I", str(d))]
    out = workdir / f"{file.stem}_{routine or 'main'}.cpp"
    if candidates is not None:
        candidate = candidates / f"{routine or file.stem}.cpp"
        if not candidate.is_file():
            return None
        argv = [*_cli(), "verify", str(file), str(candidate), *entry, "--json"]
    else:
        argv = [*_cli(), "translate", str(file), *entry, "--to", "cpp", "--solver", "rules", "-o", str(out),
                "--json", "--no-capture"]
    started = time.monotonic()
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return Row(file.name, routine, -1, "timeout", timeout, f"no answer in {timeout:.0f} s")
    seconds = time.monotonic() - started
    try:
        payload = json.loads(proc.stdout)
    except json.JSONDecodeError:
        payload = None
    outcome = OUTCOMES.get(proc.returncode, f"exit {proc.returncode}")
    reason = "" if proc.returncode == 0 else reason_of(payload, proc)
    return Row(file.name, routine, proc.returncode, outcome, round(seconds, 2), reason)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds allowed per routine")
    parser.add_argument("--candidates", type=Path, help="verify hand-written CDIR/NAME.cpp instead of translating")
    parser.add_argument("--only", help="comma-separated routine names")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON after the table")
    parser.add_argument("-I", "--include", dest="includes", type=Path, action="append", default=[],
                        help="include directory passed to translate/verify (repeatable)")
    args = parser.parse_args()

    files = sorted(p for p in args.directory.rglob("*") if p.suffix in SUFFIXES and p.is_file())
    only = {n.strip().lower() for n in args.only.split(",")} if args.only else None
    jobs = [(f, r) for f in files for r in routines(f) if only is None or r in only]
    with tempfile.TemporaryDirectory(prefix="tv-real-") as tmp:
        workdir = Path(tmp)
        os.environ.setdefault("TRANSVERIFY_RECORDS", str(workdir / "records.sqlite"))
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=max(1, args.workers)) as pool:
            rows = [r for r in pool.map(lambda job: run_one(*job, workdir, args.timeout, args.candidates, args.includes),
                                          jobs)
                    if r is not None]
        wall = time.monotonic() - started
    if not rows:
        print("no routines found")
        return 1
    mode = "verify against hand-written candidates" if args.candidates else "translate (rules) + verify"
    counts = Counter(r.outcome for r in rows)
    total = len(rows)
    print(f"{args.directory}: {total} routines from {len(files)} files, {mode}, {wall:.1f} s wall")
    for outcome in ("verified", "not verified", "refused", "timeout"):
        if counts.get(outcome):
            print(f"  {outcome:<13} {counts[outcome]:>4}  ({counts[outcome] / total:.0%})")
    print(f"median seconds per routine: {statistics.median(r.seconds for r in rows):.2f}")
    reasons = Counter((r.outcome, r.reason) for r in rows if r.exit_code != 0)
    if reasons:
        print("\nby reason:")
        for (outcome, reason), n in reasons.most_common():
            print(f"  {n:>3}  {outcome:<13} {reason}")
        print("\nroutines not verified:")
        for r in rows:
            if r.exit_code != 0:
                print(f"  {r.file}:{r.routine or 'main'}  {r.outcome}  {r.reason}")
    if args.json:
        print(json.dumps([asdict(r) for r in rows], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
