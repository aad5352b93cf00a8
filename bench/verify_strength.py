"""Benchmark of the verifier's own strength: the share of mutants it kills.

    .venv/bin/python bench/verify_strength.py [--limit N] [--seed S] [--cases C] [--pair P] [--coverage]

For every in-repo corpus case with a correct translation (examples/cuda/<name>/ in both
directions, examples/fortran/, tests/verify_corpus/unit/), the translation is mutated in one
place at a time (off-by-one loop bound, `<` <-> `<=`, swapped subscript indices, dropped
update, integer instead of real division, wrong accumulator initial value, `+` <-> `-`,
missing `__syncthreads()`), and each mutant is verified against the corpus source, which
defines the right answer. A mutant is
  killed       the verifier says not equivalent (wrong outputs, a run-time failure),
  survived     the verifier says equivalent,
  stillborn    it does not compile (not counted), or
  error        the verifier could not decide (exit 2; not counted, listed).
Survivors are listed with the mutated line: some are equivalent mutants (e.g. a bound
changed where the last iteration does nothing), the rest are holes in the verifier.
Mutants are sampled with a fixed seed; --limit bounds the number verified (the run takes
about 1-3 s per mutant on the CPU path).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Mutant:
    pair: str
    case: str
    source: Path
    original: Path
    operator: str
    line: int
    before: str
    after: str
    text: str
    flags: list[str]


# (operator name, pattern, replacement function or text). Each match is one mutant.
def _off_by_one(m: re.Match) -> str:
    return f"{m.group(1)}{m.group(2)} - 1{m.group(3)}"


OPERATORS: list[tuple[str, re.Pattern, object]] = [
    ("off-by-one bound", re.compile(r"(\bfor\s*\([^;]*;\s*\w+\s*<=?\s*)([\w\->.()* +]+?)(\s*;)"), _off_by_one),
    # Comparisons are spaced; template brackets (std::complex<double>) are not.
    ("< to <=", re.compile(r"(?<=\s)<(?=\s)"), "<="),
    ("<= to <", re.compile(r"(?<=\s)<=(?=\s)"), "<"),
    ("> to >=", re.compile(r"(?<=\s)>(?=\s)"), ">="),
    ("swapped indices", re.compile(r"\[\s*(\w+)\s*\*\s*(\w+)\s*\+\s*(\w+)\s*\]"),
     lambda m: f"[{m.group(3)} * {m.group(2)} + {m.group(1)}]"),
    ("dropped update", re.compile(r"(?m)^(\s*)([\w\[\]\.\->*+ ]+?\s*(?:\+=|-=|\*=)\s*[^;]+;)"),
     lambda m: f"{m.group(1)}; /* {m.group(2).strip()} */"),
    ("int division", re.compile(r"(\/\s*)(\d+)\.0+[fF]?\b"), lambda m: f"{m.group(1)}{m.group(2)}"),
    ("int division", re.compile(r"static_cast<(?:double|float)>\(([^()]*)\)\s*/"), lambda m: f"({m.group(1)}) /"),
    ("wrong accumulator init", re.compile(r"(\b(?:float|double|int|long|auto)\s+\w+\s*=\s*)0(\.0*[fF]?)?\s*;"),
     lambda m: f"{m.group(1)}1{m.group(2) or ''};"),
    ("+ to -", re.compile(r"(?<=[\w)\]])\s\+\s(?=[\w(])"), " - "),
    ("missing __syncthreads", re.compile(r"__syncthreads\(\)\s*;"), ";"),
]


def _in_comment_or_include(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line = text[line_start:text.find("\n", start) if text.find("\n", start) >= 0 else len(text)]
    stripped = line.lstrip()
    return stripped.startswith(("//", "#", "*", "/*")) or "//" in text[line_start:start] or "template" in line


def _loop_header(text: str, start: int) -> bool:
    return re.search(r"for\s*\(\s*[\w:]*\s*\w*\s*$", text[text.rfind("\n", 0, start) + 1:start]) is not None


def mutants_of(pair: str, case: str, source: Path, original: Path, flags: list[str]) -> list[Mutant]:
    text = original.read_text()
    found = []
    for name, pattern, repl in OPERATORS:
        for match in pattern.finditer(text):
            if _in_comment_or_include(text, match.start()):
                continue
            if name == "wrong accumulator init" and _loop_header(text, match.start()):
                continue
            replacement = repl(match) if callable(repl) else repl
            mutated = text[:match.start()] + replacement + text[match.end():]
            if mutated == text:
                continue
            line = text.count("\n", 0, match.start()) + 1
            found.append(Mutant(pair, case, source, original, name, line, text.splitlines()[line - 1].strip(),
                                mutated.splitlines()[line - 1].strip(), mutated, flags))
    return found


def corpus() -> list[tuple[str, str, Path, Path, list[str]]]:
    """(pair, case, source, correct translation, flags)."""
    items = []
    for folder in sorted((REPO / "examples" / "cuda").iterdir()):
        cpp, cu = folder / f"{folder.name}.cpp", folder / f"{folder.name}.cu"
        if cpp.exists() and cu.exists():
            items.append(("cpp->cuda", folder.name, cpp, cu, []))
            items.append(("cuda->cpp", folder.name, cu, cpp, []))
    for f90 in sorted((REPO / "examples" / "fortran").glob("*.f90")):
        cpp = f90.with_suffix(".cpp")
        if cpp.exists():
            items.append(("fortran->cpp", f90.stem, f90, cpp, []))
    for toml in sorted((REPO / "tests" / "verify_corpus" / "unit").glob("*/case.toml")):
        spec = tomllib.loads(toml.read_text())
        flags = ["--entry", spec["entry"]] if "entry" in spec else []
        for cand in spec.get("candidates", []):
            if cand.get("verdict") == "equivalent":
                items.append(("fortran->cpp", toml.parent.name, toml.parent / spec["source"],
                              toml.parent / cand["file"], flags + list(cand.get("args", []))))
                break
    return items


def verify_mutant(mutant: Mutant, work: Path, cases: int, seed: int, coverage: bool) -> tuple[str, str]:
    from transverify.commands.verify_cmd import build_parser
    from transverify.verify import VerifyOptions, verify

    folder = work / f"m{abs(hash((mutant.case, mutant.line, mutant.operator, mutant.after))) % 10**8}"
    folder.mkdir(parents=True, exist_ok=True)
    candidate = folder / mutant.original.name
    candidate.write_text(mutant.text)
    args = build_parser().parse_args([str(mutant.source), str(candidate), *mutant.flags])
    # Mutants that loop forever are killed by the run timeout (the default, 10 s: the source
    # itself must finish under it on a loaded machine).
    options = VerifyOptions(entry=args.entry, cases=cases, seed=seed, timeout=args.timeout, shapes=dict(args.shape),
                            values=dict(args.value), ranges=dict(args.range), coverage=coverage)
    result = verify(mutant.source, candidate, options)
    if result.verdict == "equivalent":
        return "survived", result.message
    if result.verdict == "not_equivalent":
        if result.stage == "compile_candidate":
            return "stillborn", result.message
        return "killed", result.message
    return "error", result.message


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=60, help="mutants verified in all (default 60)")
    parser.add_argument("--seed", type=int, default=1, help="sampling seed (default 1)")
    parser.add_argument("--cases", type=int, default=8, help="generated cases per verification (default 8)")
    parser.add_argument("--pair", help="only this pair (cpp->cuda, cuda->cpp, fortran->cpp)")
    parser.add_argument("--coverage", action="store_true", help="verify with --coverage (more rounds of cases)")
    args = parser.parse_args()
    os.environ.setdefault("TRANSVERIFY_CUDA_EXECUTION", "cpu")

    everything = []
    for pair, case, source, original, flags in corpus():
        if args.pair and pair != args.pair:
            continue
        everything += mutants_of(pair, case, source, original, flags)
    rng = random.Random(args.seed)
    # Sample evenly over the pairs, then over their mutants.
    by_pair: dict[str, list[Mutant]] = {}
    for mutant in everything:
        by_pair.setdefault(mutant.pair, []).append(mutant)
    for mutants in by_pair.values():
        rng.shuffle(mutants)
    chosen: list[Mutant] = []
    while len(chosen) < args.limit and any(by_pair.values()):
        for mutants in by_pair.values():
            if mutants and len(chosen) < args.limit:
                chosen.append(mutants.pop())
    print(f"{len(everything)} mutants in the corpora; verifying {len(chosen)} (seed {args.seed}, "
          f"{args.cases} cases{', --coverage' if args.coverage else ''})", flush=True)

    outcomes: dict[str, dict[str, int]] = {}
    survivors, errors = [], []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="tv-strength-") as work:
        for index, mutant in enumerate(chosen, 1):
            outcome, message = verify_mutant(mutant, Path(work), args.cases, 0, args.coverage)
            outcomes.setdefault(mutant.pair, {"killed": 0, "survived": 0, "stillborn": 0, "error": 0})[outcome] += 1
            if outcome == "survived":
                survivors.append(mutant)
            elif outcome == "error":
                errors.append((mutant, message))
            print(f"  [{index}/{len(chosen)}] {outcome:9} {mutant.pair:12} {mutant.case}:{mutant.line} "
                  f"{mutant.operator}" + (f": {message[:200]}" if outcome == "error" else ""), flush=True)
    print(f"\n{'pair':14}{'killed':>8}{'survived':>10}{'stillborn':>11}{'error':>7}{'score':>8}")
    total_killed = total_survived = 0
    for pair, counts in sorted(outcomes.items()):
        decided = counts["killed"] + counts["survived"]
        total_killed += counts["killed"]
        total_survived += counts["survived"]
        score = f"{100 * counts['killed'] / decided:.0f}%" if decided else "-"
        print(f"{pair:14}{counts['killed']:>8}{counts['survived']:>10}{counts['stillborn']:>11}{counts['error']:>7}"
              f"{score:>8}")
    decided = total_killed + total_survived
    if decided:
        print(f"{'all':14}{total_killed:>8}{total_survived:>10}{'':>11}{'':>7}{100 * total_killed / decided:>7.0f}%")
    print(f"\n{time.monotonic() - started:.0f} s")
    if survivors:
        print("\nsurvivors (equivalent mutants, or holes in the verifier):")
        for m in survivors:
            print(f"  {m.pair} {m.case} ({m.original.relative_to(REPO)}:{m.line}) {m.operator}:\n"
                  f"      {m.before}\n   -> {m.after}")
    if errors:
        print("\nundecided (exit 2):")
        for m, message in errors:
            print(f"  {m.pair} {m.case}:{m.line} {m.operator}: {message[:160]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
