"""No wasted rounds: a repeated candidate is not verified again, the next question says so and
quotes the convention, the temperature policy applies, and two rounds without progress stop."""

from __future__ import annotations

import json

from tests.loop.samples import CORRECT, NOT_COMPILING, WRONG_BOUND, answer
from transverify.translators.llm import LLMSettings
from transverify.translators.loop.stagnation import normalise
from transverify.translators.pipeline import TranslateRequest, translate
from transverify.translators.records import RecordStore
from transverify.verify import VerifyOptions

WRONG_BOUND_COMMENTED = WRONG_BOUND.replace("{\n", "{  // the loop over the elements\n", 1).replace("    ", "  ")
WRONG_BOUND_RESPACED = WRONG_BOUND.replace("i < n - 1", "i < n-1")


def _settings(llm) -> LLMSettings:
    return LLMSettings(base_url=llm.base_url, api_key=None, model="solver-model", max_retries=0, temperature=0.2)


def _translate(llm, source, tmp_path, rounds: int, progress: list[str]):
    store = RecordStore.open(tmp_path / "r.sqlite", enabled=True)
    outcome = translate(TranslateRequest(source=source, target="cpp", solver="llm", llm=_settings(llm),
                                         max_rounds=rounds, store=store, progress=progress.append,
                                         verify_options=VerifyOptions(cases=4)))
    return outcome, store


def _last_user(request: dict) -> str:
    return [m for m in request["body"]["messages"] if m["role"] == "user"][-1]["content"]


def test_normalisation_ignores_comments_and_spacing_but_keeps_annotations():
    assert normalise(WRONG_BOUND_COMMENTED) == normalise(WRONG_BOUND)
    assert normalise(WRONG_BOUND_RESPACED) != normalise(WRONG_BOUND)
    assert normalise('puts("a  // b");') != normalise('puts("a // b");')
    assert normalise("// transverify: shape x=n\nvoid f();") != normalise("void f();")


def test_a_repeated_candidate_is_not_verified_again_and_the_question_escalates(llm, source, tmp_path):
    llm.reply(answer(WRONG_BOUND)).reply(answer(WRONG_BOUND_COMMENTED)).reply(answer(CORRECT))
    progress: list[str] = []
    outcome, store = _translate(llm, source, tmp_path, 3, progress)
    assert outcome.exit_code == 0 and outcome.rounds == 3, outcome.message
    assert progress.count("compiling") == 2  # rounds 1 and 3; round 2 repeated round 1
    assert "the Solver repeated the code of round 1; not verified again" in progress
    assert {"round": 2, "event": "repeat", "detail": "the Solver repeated the code of round 1; not verified again"} \
        in outcome.events
    question = _last_user(llm.requests[2])
    assert question.startswith("Your translation is not yet equivalent to the Fortran source. Your code is the "
                               "same as round 1 (comments and whitespace aside), so it was not verified again")
    assert "Output `y` at index" in question
    assert "The calling convention the verifier checks, exactly:\n- The C++ function has the same name" in question
    # Temperature policy: warmer after the repeat (0.2 -> 0.5).
    temperatures = [r["body"].get("temperature") for r in llm.requests]
    assert temperatures[:2] == [0.2, 0.2] and abs(temperatures[2] - 0.5) < 1e-9
    turns = [t for t in store.dialogue(outcome.dialogue_id)["turns"] if t["agent"] == "solver"]
    assert turns[1]["feedback"] == turns[0]["feedback"]  # the earlier result stands for the same code


def test_two_rounds_without_progress_stop_early_with_the_reason(llm, source, tmp_path):
    llm.reply(answer(WRONG_BOUND)).reply(answer(WRONG_BOUND_RESPACED)).reply(answer(WRONG_BOUND))
    llm.reply(answer(CORRECT))  # never asked for
    progress: list[str] = []
    outcome, store = _translate(llm, source, tmp_path, 6, progress)
    assert outcome.exit_code == 1 and outcome.rounds == 3, outcome.message
    assert outcome.message.startswith(
        "stopped early after 3 Solver round(s): two rounds in a row made no progress (round 2 failed the same "
        "way as round 1; round 3 repeated the code of round 1)")
    assert len(llm.requests) == 3 and llm.pending() == 1
    assert "This fails the same way as round 1: the change did not reach the cause." in _last_user(llm.requests[2])
    assert store.dialogue(outcome.dialogue_id)["status"] == "no_progress"
    assert outcome.code == WRONG_BOUND and outcome.verdict == "not_equivalent"


def test_a_fixed_error_counts_as_progress(llm, source, tmp_path):
    other_error = NOT_COMPILING.replace("z[i]", "w[i]")
    llm.reply(answer(NOT_COMPILING)).reply(answer(other_error)).reply(answer(WRONG_BOUND)).reply(answer(CORRECT))
    outcome, _ = _translate(llm, source, tmp_path, 4, [])
    assert outcome.exit_code == 0 and outcome.rounds == 4, outcome.message
    assert not [e for e in outcome.events if e["event"] in ("repeat", "no_progress")]
    assert json.dumps(outcome.to_dict()["events"]) == "[]"
