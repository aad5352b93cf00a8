"""translate() as the language server calls it: seeded quick fixes, cancellation, progress."""

from __future__ import annotations

import threading
import time

from tests.loop.samples import CORRECT, WRONG_BOUND, answer
from transverify.translators.llm import LLMSettings
from transverify.translators.pipeline import TranslateRequest, output_path_for, translate
from transverify.translators.records import RecordStore
from transverify.verify import VerifyOptions


def _settings(llm) -> LLMSettings:
    return LLMSettings(base_url=llm.base_url, api_key=None, model="solver-model", max_retries=0)


def test_output_paths(tmp_path):
    assert output_path_for(tmp_path / "foo.f90", "cpp") == tmp_path / "foo.cpp"
    assert output_path_for(tmp_path / "x.cpp", "cuda") == tmp_path / "x.cu"
    assert output_path_for(tmp_path / "k.cu", "cpu") == tmp_path / "k_cpu.cpp"
    assert output_path_for(tmp_path / "m.py", "jax") == tmp_path / "m_jax.py"


def test_seeded_quick_fix_asks_about_the_seed_first(llm, source, tmp_path):
    llm.reply(answer(CORRECT))
    store = RecordStore.open(tmp_path / "r.sqlite", enabled=True)
    messages: list[str] = []
    outcome = translate(TranslateRequest(source=source, target="cpp", solver="llm", llm=_settings(llm),
                                         seed_candidate=WRONG_BOUND, store=store, progress=messages.append,
                                         verify_options=VerifyOptions(cases=4)))
    assert outcome.exit_code == 0 and outcome.code == CORRECT and outcome.rounds == 1, outcome.message
    assert outcome.solver_used == "llm" and outcome.result.ok and not outcome.written
    [request] = llm.requests
    roles = [m["role"] for m in request["body"]["messages"]]
    assert roles == ["system", "user", "assistant", "user"]
    assert WRONG_BOUND in request["body"]["messages"][2]["content"]
    assert "Output `y` at index" in request["body"]["messages"][3]["content"]
    assert {"round 1 of 3", "drafting", "compiling"} <= set(messages)
    turns = store.dialogue(outcome.dialogue_id)["turns"]
    assert [t["agent"] for t in turns] == ["system", "task", "editor", "questioner", "solver"]
    # The editor accepts: the verified translation and the loop's fix are kept.
    store.mark_outcome(outcome.dialogue_id, accepted=True)
    assert store.stats()["verified_translations"] == 1 and store.fixes()[0]["before"] == WRONG_BOUND


def test_a_seed_that_already_verifies_needs_no_llm(source, tmp_path):
    outcome = translate(TranslateRequest(source=source, target="cpp", solver="llm", seed_candidate=CORRECT,
                                         llm=LLMSettings(base_url="http://127.0.0.1:9/v1", api_key=None, model="m"),
                                         store=RecordStore.open(tmp_path / "r.sqlite", enabled=False)))
    assert outcome.exit_code == 0 and outcome.rounds == 0


def test_cancel_returns_promptly_while_the_endpoint_stalls(llm, source, tmp_path):
    llm.stall()
    cancel = threading.Event()
    box = {}
    worker = threading.Thread(target=lambda: box.update(outcome=translate(TranslateRequest(
        source=source, target="cpp", solver="llm", llm=_settings(llm), cancel=cancel,
        store=RecordStore.open(tmp_path / "r.sqlite", enabled=True)))))
    worker.start()
    assert llm.wait_for_requests(1, timeout=60)
    cancel.set()
    cancelled_at = time.monotonic()
    worker.join(timeout=10)
    assert not worker.is_alive()
    assert time.monotonic() - cancelled_at < 5
    outcome = box["outcome"]
    assert outcome.exit_code == 1 and outcome.message == "cancelled" and outcome.code is None
    assert RecordStore.open(tmp_path / "r.sqlite").dialogue(outcome.dialogue_id)["status"] == "cancelled"


def test_long_loops_resend_only_the_latest_rounds(llm, source, tmp_path):
    from transverify.translators.loop.budget import FALLBACK_ROUNDS as HISTORY_ROUNDS

    rounds = HISTORY_ROUNDS + 2
    for number in range(rounds - 1):
        llm.reply(f"Attempt {number}: no code yet.")
    llm.reply(answer(CORRECT))
    store = RecordStore.open(tmp_path / "r.sqlite", enabled=True)
    outcome = translate(TranslateRequest(source=source, target="cpp", solver="llm", llm=_settings(llm),
                                         max_rounds=rounds, store=store))
    assert outcome.exit_code == 0 and outcome.rounds == rounds, outcome.message
    last = llm.requests[-1]["body"]["messages"]
    assert len(last) == 2 + 2 * HISTORY_ROUNDS
    assert [m["role"] for m in last[:3]] == ["system", "user", "assistant"]
    assert "Attempt 1:" in last[2]["content"]  # attempt 0 and its question were dropped
    assert len(store.dialogue(outcome.dialogue_id)["turns"]) == 2 + 2 * rounds - 1  # the store keeps all
