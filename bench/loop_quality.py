"""What the Questioner-Solver loop buys, measured against the configured LLM endpoint.

For each source of the in-repo corpora (tests/corpus/fortran -> C++, examples/cuda/*/X.cpp ->
CUDA, examples/cuda/*/X.cu -> CPU C++) it translates with the LLM Solver three ways:

    single-shot      one Solver answer, no feedback (--max-rounds 1)
    loop, rules Q    up to --max-rounds answers, the rule-based Questioner between them
    loop, LLM Q      the same with the LLM Questioner (its questions on top of the digest)

and prints per pair and mode: compile pass (the final candidate compiled and ran), verified
rate, the mean Solver rounds of the verified translations and of all, and the median seconds
per source -- the numbers dialogue-data papers report, so models and settings can be compared.
Each mode starts from an empty record store (bug-context retrieval learns only within a mode).

The endpoint comes from the usual settings (OPENAI_BASE_URL, TRANSVERIFY_MODEL, the config
file); with none configured the script says so and exits 0 without measuring anything.

Usage:  .venv/bin/python bench/loop_quality.py [--pairs fortran-cpp,cpp-cuda,cuda-cpu]
            [--limit 8] [--max-rounds 4] [--modes single,rules,llm] [--cases 4] [--json] [--keep]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from transverify.translators.llm import ConfigError, resolve_settings  # noqa: E402
from transverify.translators.pipeline import TranslateRequest, translate  # noqa: E402
from transverify.translators.records import RecordStore  # noqa: E402
from transverify.verify import VerifyOptions  # noqa: E402

MODES = {"single": ("single-shot", "rules", 1), "rules": ("loop, rules Q", "rules", None),
         "llm": ("loop, LLM Q", "llm", None)}
PAIRS = ("fortran-cpp", "cpp-cuda", "cuda-cpu")


def corpus(pair: str) -> list[tuple[Path, str]]:
    """(source, target) of every source of a pair, in a stable order."""
    if pair == "fortran-cpp":
        return [(p, "cpp") for p in sorted((REPO / "tests" / "corpus" / "fortran").glob("*.f90"))]
    examples = sorted(p for p in (REPO / "examples" / "cuda").iterdir() if p.is_dir())
    if pair == "cpp-cuda":
        return [(d / f"{d.name}.cpp", "cuda") for d in examples if (d / f"{d.name}.cpp").is_file()]
    return [(d / f"{d.name}.cu", "cpu") for d in examples if (d / f"{d.name}.cu").is_file()]


@dataclass
class Run:
    pair: str
    mode: str
    source: str
    exit_code: int
    verified: bool
    compiled: bool
    rounds: int
    seconds: float
    message: str


def compiled(outcome) -> bool:
    result = outcome.result
    if result is None:
        return False
    return result.ok or result.stage in ("run", "compare")


def measure(pair: str, mode: str, sources: list[tuple[Path, str]], settings, args, work: Path) -> list[Run]:
    label, questioner, rounds = MODES[mode]
    store = RecordStore.open(work / f"{pair}-{mode}.sqlite", enabled=True)
    runs = []
    for source, target in sources:
        started = time.monotonic()
        outcome = translate(TranslateRequest(
            source=source, target=target, solver="llm", questioner=questioner,
            max_rounds=rounds or args.max_rounds, llm=settings, store=store,
            output=work / pair / mode / (source.stem + {"cpp": ".cpp", "cuda": ".cu", "cpu": "_cpu.cpp"}[target]),
            verify_options=VerifyOptions(cases=args.cases, timeout=args.timeout)))
        run = Run(pair, label, source.name, outcome.exit_code, outcome.exit_code == 0, compiled(outcome),
                  outcome.rounds, round(time.monotonic() - started, 2), outcome.message[:160])
        runs.append(run)
        print(f"  {pair:12s} {label:14s} {source.name:28s} exit {run.exit_code}  rounds {run.rounds}  "
              f"{run.seconds:6.1f}s  {run.message[:60]}", file=sys.stderr, flush=True)
    store.close()
    return runs


def summary(runs: list[Run]) -> dict:
    verified = [r for r in runs if r.verified]
    return {"sources": len(runs),
            "compile_pass": round(sum(r.compiled for r in runs) / len(runs), 3) if runs else None,
            "verified_rate": round(len(verified) / len(runs), 3) if runs else None,
            "mean_rounds_verified": round(statistics.mean(r.rounds for r in verified), 2) if verified else None,
            "mean_rounds_all": round(statistics.mean(r.rounds for r in runs), 2) if runs else None,
            "median_seconds": round(statistics.median(r.seconds for r in runs), 2) if runs else None}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", default=",".join(PAIRS))
    parser.add_argument("--modes", default="single,rules,llm")
    parser.add_argument("--limit", type=int, default=8, help="sources per pair (0: all)")
    parser.add_argument("--max-rounds", type=int, default=4)
    parser.add_argument("--cases", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the translations and record stores")
    args = parser.parse_args()
    try:
        settings = resolve_settings()
    except ConfigError as exc:
        print(f"loop_quality: {exc}", file=sys.stderr)
        return 2
    if not settings.configured:
        print("loop_quality: no LLM endpoint is configured, nothing to measure. Missing: "
              + "; ".join(settings.missing()) + ". See docs/llm.md.")
        return 0
    pairs = [p for p in args.pairs.split(",") if p]
    modes = [m for m in args.modes.split(",") if m]
    unknown = [p for p in pairs if p not in PAIRS] + [m for m in modes if m not in MODES]
    if unknown:
        print(f"loop_quality: unknown pair or mode: {', '.join(unknown)}", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="tv-bench-loop-quality-"))
    work.chmod(0o755)
    print(f"endpoint {settings.base_url}, model {settings.model}, questioner {settings.questioner}, "
          f"max rounds {args.max_rounds}; work folder {work}", file=sys.stderr)
    table = []
    try:
        for pair in pairs:
            sources = corpus(pair)[:args.limit or None]
            for mode in modes:
                runs = measure(pair, mode, sources, settings, args, work)
                table.append({"pair": pair, "mode": MODES[mode][0], **summary(runs),
                              "runs": [asdict(r) for r in runs]})
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps({"endpoint": settings.base_url, "model": settings.model,
                          "questioner_model": settings.questioner, "max_rounds": args.max_rounds,
                          "results": table}))
        return 0
    print(f"{'pair':12s} {'mode':14s} {'sources':>7s} {'compile':>8s} {'verified':>9s} {'rounds(v)':>10s} "
          f"{'rounds(all)':>11s} {'median s':>9s}")
    for row in table:
        def cell(value, width, pattern="{:.2f}"):
            return (pattern.format(value) if value is not None else "-").rjust(width)
        print(f"{row['pair']:12s} {row['mode']:14s} {row['sources']:>7d} {cell(row['compile_pass'], 8)} "
              f"{cell(row['verified_rate'], 9)} {cell(row['mean_rounds_verified'], 10)} "
              f"{cell(row['mean_rounds_all'], 11)} {cell(row['median_seconds'], 9, '{:.1f}')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
