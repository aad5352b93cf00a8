"""Coverage of the rule-based Fortran -> C++ translator on the test corpus.

Runs `transverify translate SRC --to cpp --solver rules --json` on every source
of tests/corpus/fortran (two at a time), then prints

    coverage = verified / total

plus the same ratio over the sources the rules are meant to cover (those not in
tests/corpus/unsupported.toml), the median time per source, and a table of every
source that was not verified with the reason the command gave.

It also counts, per legacy construct (fixed form, INTRINSIC/EXTERNAL statements, specific
intrinsic names, assumed-size dummies, CHARACTER dummies, dummy procedures, SAVE, INCLUDE,
USE renames, GO TO, computed GO TO, COMMON blocks, FORTRAN 66 `x(1)` dummies), how many sources use it and how many of those were verified.
`--dir DIR` runs the same on another directory of .f/.f90 files (e.g. routines of a
library kept outside the repository), translating each with --entry set to its file name.

Usage:  .venv/bin/python bench/translate_coverage.py [--workers 2] [--json] [--dir DIR]
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
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "corpus"
OUTCOMES = {0: "verified", 1: "not verified", 2: "unsupported"}


@dataclass
class Row:
    source: str
    exit_code: int
    outcome: str
    expected_unsupported: bool
    seconds: float
    reason: str


def _cli() -> list[str]:
    exe = Path(sys.executable).with_name("transverify")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "transverify"]


def _reason(payload: dict | None, proc: subprocess.CompletedProcess) -> str:
    """The shortest honest account of why a source was not verified."""
    if payload is None:
        tail = (proc.stderr or proc.stdout).strip().splitlines()
        return tail[-1] if tail else f"no output (exit {proc.returncode})"
    for key in ("unsupported", "constructs"):
        items = payload.get(key)
        if items:
            parts = []
            for item in items[:3]:
                if isinstance(item, dict):
                    parts.append(f"line {item.get('line')}: {item.get('construct') or item.get('message')}")
                else:
                    parts.append(str(item))
            return "; ".join(parts)
    result = payload.get("result") or {}
    diagnostics = [d for d in result.get("diagnostics") or [] if d.get("severity") == "error"]
    if diagnostics:
        d = diagnostics[0]
        return f"{result.get('stage')}: {Path(d.get('file') or '?').name}:{d.get('line')}: {d.get('message')}"
    mismatches = result.get("mismatches") or []
    if mismatches:
        m = mismatches[0]
        return (f"{result.get('stage')}: {m.get('output')}{m.get('index') or ''} "
                f"expected {m.get('expected')} got {m.get('actual')}")
    message = payload.get("message") or result.get("message") or ""
    if result.get("stage") and result.get("stage") not in message:
        message = f"{result['stage']}: {message}"
    return " ".join(message.split()) if message.strip() else f"exit {proc.returncode}"


# Legacy constructs reported separately: name -> pattern over the source text (case-insensitive).
CONSTRUCTS = {
    "fixed form": re.compile(r"^[cC*](?!\S*\s*=)|^ {5}[^ 0]", re.M),
    "INTRINSIC statement": re.compile(r"^\s+intrinsic\b", re.M | re.I),
    "EXTERNAL statement": re.compile(r"^\s+external\b", re.M | re.I),
    "specific intrinsic name": re.compile(r"\b(dabs|dsqrt|dmax1|dmin1|dsign|iabs|dble|dexp|dlog|max0|min0|amax1)\s*\(",
                                          re.I),
    "assumed-size dummy": re.compile(r"\w\s*\((?:[^()]*,\s*)?\*\s*\)", re.I),
    "CHARACTER dummy": re.compile(r"^\s+character\b", re.M | re.I),
    "SAVE": re.compile(r"^\s+save\b|,\s*save\b", re.M | re.I),
    "INCLUDE": re.compile(r"^\s+include\s+['\"]", re.M | re.I),
    "USE rename": re.compile(r"^\s*use\s+\w+\s*,(?:[^\n]*&\s*\n)*[^\n]*=>", re.M | re.I),
    "GO TO": re.compile(r"\bgo\s*to\s+\d", re.I),
    "computed GO TO": re.compile(r"\bgo\s*to\s*\(\s*\d", re.I),
    "COMMON block": re.compile(r"^\s+common\s*/", re.M | re.I),
    "x(1) dummy (F66 assumed size)": re.compile(r"^\s+(?:double precision|real|integer)\b[^!\n]*\w\s*\((?:[^()]*,\s*)?1\s*\)",
                                                re.M | re.I),
}


def constructs_of(source: Path) -> list[str]:
    text = source.read_text(encoding="utf-8", errors="replace")
    found = [name for name, pattern in CONSTRUCTS.items() if pattern.search(text)]
    if source.suffix.lower() != ".f":
        found = [name for name in found if name != "fixed form"]
    return found


def run_one(source: Path, workdir: Path, unsupported: set[str], timeout: float, entry_from_name: bool = False) -> Row:
    out = workdir / f"{source.stem}.cpp"
    argv = [*_cli(), "translate", str(source), "--to", "cpp", "--solver", "rules", "-o", str(out), "--json",
            "--no-capture"]
    if entry_from_name:
        argv += ["--entry", source.stem]
    started = time.monotonic()
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return Row(source.name, -1, "timeout", source.stem in unsupported, timeout, f"no answer in {timeout:.0f} s")
    seconds = time.monotonic() - started
    try:
        payload = json.loads(proc.stdout)
    except json.JSONDecodeError:
        payload = None
    outcome = OUTCOMES.get(proc.returncode, f"exit {proc.returncode}")
    reason = "" if proc.returncode == 0 else _reason(payload, proc)
    return Row(source.name, proc.returncode, outcome, source.stem in unsupported, round(seconds, 2), reason[:160])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds allowed per source")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON after the table")
    parser.add_argument("--dir", type=Path, help="another directory of .f/.f90 sources (entry = file name)")
    args = parser.parse_args()

    if args.dir is not None:
        sources = sorted(p for p in args.dir.iterdir() if p.suffix.lower() in (".f", ".f90"))
        unsupported: set[str] = set()
    else:
        sources = sorted(p for p in (CORPUS / "fortran").iterdir() if p.suffix in (".f", ".f90"))
        unsupported = set(tomllib.loads((CORPUS / "unsupported.toml").read_text()))
    env_note = os.environ.get("TRANSVERIFY_RECORDS")
    with tempfile.TemporaryDirectory(prefix="tv-coverage-") as tmp:
        workdir = Path(tmp)
        if env_note is None:
            # Keep the benchmark's dialogues out of the user's record store.
            os.environ["TRANSVERIFY_RECORDS"] = str(workdir / "records.sqlite")
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=max(1, args.workers)) as pool:
            rows = list(pool.map(lambda s: run_one(s, workdir, unsupported, args.timeout, args.dir is not None),
                                 sources))
        wall = time.monotonic() - started

    total = len(rows)
    verified = sum(r.exit_code == 0 for r in rows)
    in_scope = [r for r in rows if not r.expected_unsupported]
    in_scope_verified = sum(r.exit_code == 0 for r in in_scope)
    named = sum(r.exit_code == 2 for r in rows if r.expected_unsupported)

    print(f"translator corpus: {total} sources, {args.workers} workers, {wall:.1f} s wall")
    print(f"coverage = verified / total = {verified}/{total} = {verified / total:.1%}")
    print(f"coverage of the rules' subset = {in_scope_verified}/{len(in_scope)} = "
          f"{in_scope_verified / max(1, len(in_scope)):.1%}")
    print(f"expected-unsupported sources refused with exit 2: {named}/{total - len(in_scope)}")
    print(f"median seconds per source (translate + verify): {statistics.median(r.seconds for r in rows):.2f}")
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.outcome] = counts.get(r.outcome, 0) + 1
    print("outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))

    by_name = {r.source: r for r in rows}
    print()
    print(f"{'legacy construct':<24} {'sources':>7} {'verified':>8}")
    for name in CONSTRUCTS:
        using = [s for s in sources if name in constructs_of(s)]
        if using:
            verified_using = sum(by_name[s.name].exit_code == 0 for s in using)
            print(f"{name:<24} {len(using):>7} {verified_using:>8}")

    failures = [r for r in rows if r.exit_code != 0]
    if failures:
        width = max(len(r.source) for r in failures)
        print()
        print(f"{'source':<{width}}  {'outcome':<13} {'expected':<9} reason")
        for r in failures:
            expected = "exit 2" if r.expected_unsupported else "exit 0"
            print(f"{r.source:<{width}}  {r.outcome:<13} {expected:<9} {r.reason}")
    if args.json:
        print(json.dumps([asdict(r) for r in rows], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
