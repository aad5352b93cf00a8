"""Overhead of the Questioner-Solver loop and the record store, next to verification itself.

Prints, each against a baseline measured in the same run:

    verify saxpy candidate (reference cached)        median (s)          the baseline
    translate, 1 LLM round                           median (s), ratio to one verify
    translate, 3 LLM rounds (compile error,          median (s), ratio to the three verifies
      mismatch, verified)                            it contains
    record store: one turn committed (WAL, FULL)     median / p99 (ms)
    export of 200 dialogues x 7 turns  , messages    seconds, ratio to reading them only

The LLM is the scripted endpoint of tests/support (replies are instant), so the
figures are the loop's own cost: HTTP, extraction, questions, records, files.

Usage:  .venv/bin/python bench/loop.py [--repeat 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.loop.samples import CORRECT, NOT_COMPILING, SAXPY, WRONG_BOUND, answer  # noqa: E402
from tests.support.scripted_llm import ScriptedLLM  # noqa: E402
from transverify.translators.llm import LLMSettings  # noqa: E402
from transverify.translators.pipeline import TranslateRequest, translate  # noqa: E402
from transverify.translators.records import RecordStore, export_records  # noqa: E402
from transverify.verify import VerifyOptions, verify  # noqa: E402


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tv-bench-loop-"))
    work.chmod(0o755)
    source = work / "saxpy.f90"
    source.write_text(SAXPY)
    candidate = work / "saxpy.cpp"
    candidate.write_text(CORRECT)
    candidate.chmod(0o644)
    options = VerifyOptions(cases=8, cache_dir=work / "cache")
    verify(source, candidate, options)  # warm the reference cache

    verify_times = [timed(lambda: verify(source, candidate, options)) for _ in range(args.repeat)]
    figures: dict[str, float] = {"verify_s": statistics.median(verify_times)}

    with ScriptedLLM() as llm:
        settings = LLMSettings(base_url=llm.base_url, api_key=None, model="bench", max_retries=0)

        def run(replies: list[str]) -> None:
            for reply in replies:
                llm.reply(reply)
            outcome = translate(TranslateRequest(
                source=source, target="cpp", solver="llm", llm=settings, output=work / "out.cpp",
                store=RecordStore.open(work / "records.sqlite", enabled=True),
                verify_options=VerifyOptions(cases=8, cache_dir=work / "cache")))
            assert outcome.exit_code == 0, outcome.message

        one = [timed(lambda: run([answer(CORRECT)])) for _ in range(args.repeat)]
        three = [timed(lambda: run([answer(NOT_COMPILING), answer(WRONG_BOUND), answer(CORRECT)]))
                 for _ in range(args.repeat)]
    figures["translate_1_round_s"] = statistics.median(one)
    figures["translate_3_rounds_s"] = statistics.median(three)

    store = RecordStore.open(work / "turns.sqlite", enabled=True)
    dialogue = store.start_dialogue("fortran->cpp", SAXPY, source)
    turn_ms = sorted(1000 * timed(lambda: store.add_turn(dialogue, "user", "questioner", "x" * 2000))
                     for _ in range(200))
    figures["turn_commit_median_ms"] = statistics.median(turn_ms)
    figures["turn_commit_p99_ms"] = turn_ms[int(len(turn_ms) * 0.99) - 1]

    bulk = RecordStore.open(work / "bulk.sqlite", enabled=True)
    for _ in range(200):
        d = bulk.start_dialogue("fortran->cpp", SAXPY, None)
        for role in ("system", "user", "assistant", "user", "assistant", "user", "assistant"):
            bulk.add_turn(d, role, "solver", CORRECT)
    figures["read_200_dialogues_s"] = timed(lambda: bulk.dialogues())
    figures["export_200_dialogues_s"] = timed(lambda: export_records(bulk, "messages", work / "out.jsonl"))

    if args.json:
        print(json.dumps(figures))
        return
    v = figures["verify_s"]
    print(f"verify saxpy candidate (reference cached)   {v:7.3f} s   baseline")
    print(f"translate, 1 LLM round                      {figures['translate_1_round_s']:7.3f} s   "
          f"{figures['translate_1_round_s'] / v:5.2f}x one verify")
    print(f"translate, 3 LLM rounds                     {figures['translate_3_rounds_s']:7.3f} s   "
          f"{figures['translate_3_rounds_s'] / (3 * v):5.2f}x three verifies")
    print(f"record store: one turn committed            {figures['turn_commit_median_ms']:7.2f} ms median, "
          f"{figures['turn_commit_p99_ms']:.2f} ms p99")
    print(f"export 200 dialogues (messages)             {figures['export_200_dialogues_s']:7.3f} s   "
          f"{figures['export_200_dialogues_s'] / figures['read_200_dialogues_s']:5.2f}x reading them")


if __name__ == "__main__":
    main()
