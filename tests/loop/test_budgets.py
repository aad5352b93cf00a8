"""Token budgets against a server that enforces them: max_tokens sized to the source, replies cut
off at the limit retried or continued (and never exported as answers), the context window read
from the server and the history trimmed by tokens to fit it."""

from __future__ import annotations

import json

from tests.loop.samples import CORRECT, NOT_COMPILING, SAXPY, answer, endpoint
from tests.support.scripted_llm import ScriptedLLM, count_tokens
from transverify.translators.llm import LLMSettings
from transverify.translators.loop.budget import ContextTooSmall, TokenBudget, default_max_tokens
from transverify.translators.pipeline import TranslateRequest, translate
from transverify.translators.records import RecordStore
from transverify.verify import VerifyOptions


def _settings(llm, **extra) -> LLMSettings:
    return LLMSettings(base_url=llm.base_url, api_key=None, model="solver-model", max_retries=0, **extra)


def _translate(llm, source, tmp_path, rounds=3, progress=None, **settings):
    store = RecordStore.open(tmp_path / "r.sqlite", enabled=True)
    outcome = translate(TranslateRequest(source=source, target="cpp", solver="llm", llm=_settings(llm, **settings),
                                         max_rounds=rounds, store=store, progress=progress.append if progress is not None else None,
                                         verify_options=VerifyOptions(cases=4)))
    return outcome, store


def test_the_default_reply_limit_grows_with_the_source(llm, source, tmp_path):
    assert default_max_tokens(SAXPY) == 1024
    big = "\n".join([SAXPY] * 40)
    assert 1024 < default_max_tokens(big) <= 16384
    llm.reply(answer(CORRECT))
    outcome, _ = _translate(llm, source, tmp_path)
    assert outcome.exit_code == 0, outcome.message
    body = llm.requests[0]["body"]
    assert body["max_tokens"] == 1024 and body["stream"] is True


def test_a_cut_off_reply_is_reported_and_asked_again_with_a_larger_limit(llm, source, tmp_path):
    reply = answer(CORRECT)
    limit = count_tokens([{"content": reply}]) // 2  # the server stops half-way
    llm.reply(reply).reply(reply)
    progress: list[str] = []
    outcome, store = _translate(llm, source, tmp_path, progress=progress, max_tokens=limit)
    assert outcome.exit_code == 0 and outcome.rounds == 1, outcome.message
    assert [r["body"]["max_tokens"] for r in llm.requests] == [limit, 2 * limit]
    said = (f"the Solver's reply was cut off at max_tokens={limit} (finish_reason: length); asking again with "
            f"max_tokens={2 * limit}")
    assert said in progress and {"round": 1, "event": "truncated", "detail": said} in outcome.events
    [solver_turn] = [t for t in store.dialogue(outcome.dialogue_id)["turns"] if t["agent"] == "solver"]
    assert solver_turn["content"] == reply and solver_turn["code"] == CORRECT


def test_a_reply_cut_off_in_a_full_context_is_continued(source, tmp_path):
    reply = answer(CORRECT)
    head, tail = reply[:120], reply[120:]
    with ScriptedLLM(context_window=2000, flavour="vllm") as llm:
        llm.reply(head, finish_reason="length").reply(tail)
        outcome, store = _translate(llm, source, tmp_path, max_tokens=1900)
    assert outcome.exit_code == 0 and outcome.rounds == 1, outcome.message
    first, second = llm.requests
    assert second["body"]["messages"][-2:] == [
        {"role": "assistant", "content": head},
        {"role": "user", "content": "Your reply was cut off by the length limit. Continue exactly where it stopped: "
                                    "do not repeat anything and do not start a new code block."}]
    [solver_turn] = [t for t in store.dialogue(outcome.dialogue_id)["turns"] if t["agent"] == "solver"]
    assert solver_turn["content"] == reply


def test_a_reply_that_stays_cut_off_is_said_so_and_never_exported(llm, source, tmp_path, run_cli, store_path):
    for _ in range(5):  # the reply, two larger limits, two continuations: all stop at the limit
        llm.reply("Here is the translation.\n\n```cpp\nvoid saxpy(int n, float a,", finish_reason="length")
    done = run_cli("translate", str(source), "--to", "cpp", "--solver", "llm", "--max-rounds", "1", "--json",
                   extra_env=endpoint(llm))
    assert done.returncode == 1, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert "the Solver's reply was cut off at max_tokens=4096 (finish_reason: length)" in report["message"]
    assert [r["body"]["max_tokens"] for r in llm.requests] == [1024, 2048, 4096, 4096, 4096]
    assert [e["event"] for e in report["events"]] == ["truncated"] * 5
    assert not source.with_suffix(".cpp").exists()
    for fmt in ("messages", "openai-chat", "sharegpt"):
        out = tmp_path / f"{fmt}.jsonl"
        done = run_cli("records", "export", "--format", fmt, "--out", str(out), "--store", str(store_path))
        assert done.returncode == 0 and out.read_text() == ""  # a cut-off reply is no answer to learn from


def _prose(tag: str) -> str:
    return (f"Attempt {tag}. " + "I considered the Fortran bounds, the column-major layout and the intents. " * 12)


def test_the_history_is_trimmed_by_tokens_to_the_servers_context(source, tmp_path):
    attempts = [NOT_COMPILING.replace("z[i]", f"{name}[i]") for name in ("z", "w", "q")]
    with ScriptedLLM(context_window=2400, flavour="vllm") as llm:
        for number, code in enumerate(attempts):
            llm.reply(answer(code, _prose(str(number))))
        llm.reply(answer(CORRECT, _prose("final")))
        progress: list[str] = []
        outcome, store = _translate(llm, source, tmp_path, rounds=4, progress=progress)
        assert outcome.exit_code == 0 and outcome.rounds == 4, outcome.message
        window = llm.context_window
    turns = store.dialogue(outcome.dialogue_id)["turns"]
    everything = [{"role": t["role"], "content": t["content"]} for t in turns[:-1]]
    assert count_tokens(everything) + 1024 > window  # sending every round would have overflowed
    last = llm.requests[-1]["body"]
    assert count_tokens(last["messages"]) + last["max_tokens"] <= window  # the server accepted each request
    sent = [m["content"] for m in last["messages"]]
    assert SAXPY.rstrip() in sent[1]  # the source
    assert "q[i]" in sent[-2] and "Attempt 2." in sent[-2]  # the latest candidate
    assert "was not declared" in sent[-1] and "q[i]" in sent[-1]  # its feedback
    assert not any("Attempt 0." in text for text in sent)  # the oldest round was left out
    assert [m["role"] for m in last["messages"]][2:] == ["assistant", "user"] * ((len(sent) - 2) // 2)
    assert any("older round(s) left out to fit the context" in line for line in progress)


def test_the_context_window_comes_from_llamacpps_props(source, tmp_path):
    with ScriptedLLM(context_window=3000, flavour="llamacpp", n_ctx_train=32768) as llm:
        llm.reply(answer(CORRECT))
        outcome, _ = _translate(llm, source, tmp_path, max_tokens=8000)
    assert outcome.exit_code == 0, outcome.message
    # n_ctx_train says 32768, the running server 3000: the reply limit fits the smaller one.
    assert llm.requests[0]["body"]["max_tokens"] < 3000 - count_tokens(llm.requests[0]["body"]["messages"])


def test_a_context_too_small_for_the_source_is_exit_2(source, run_cli):
    with ScriptedLLM(context_window=400, flavour="vllm") as llm:
        done = run_cli("translate", str(source), "--to", "cpp", "--solver", "llm", "--json",
                       extra_env=endpoint(llm))
        assert llm.requests == []
    assert done.returncode == 2, done.stdout + done.stderr
    message = json.loads(done.stdout)["message"]
    assert "context window is 400 tokens" in message and "--entry" in message


def test_budget_fit_keeps_the_required_turns():
    budget = TokenBudget(context_window=600, max_tokens=300)
    messages = [{"role": "system", "content": "s" * 90}, {"role": "user", "content": "task " * 20}]
    messages += [{"role": "assistant", "content": "old" * 50}, {"role": "user", "content": "q"}] * 3
    fitted = budget.fit(messages)
    assert fitted.messages[:2] == messages[:2] and fitted.messages[-2:] == messages[-2:]
    assert len(fitted.messages) % 2 == 0 and fitted.max_tokens == 300 and fitted.dropped_rounds == 1
    assert len(fitted.messages) < len(messages)
    try:
        TokenBudget(context_window=100, max_tokens=100).fit(messages)
    except ContextTooSmall as exc:
        assert exc.window == 100
    else:
        raise AssertionError("a 100-token context cannot hold the task")


def test_a_server_that_hides_its_window_and_refuses_a_long_prompt_gets_it_trimmed(source, tmp_path):
    attempts = [NOT_COMPILING.replace("z[i]", f"{name}[i]") for name in ("z", "w", "q")]
    with ScriptedLLM(context_window=2600, flavour="openai") as llm:  # enforced, not exposed in /v1/models
        for number, code in enumerate(attempts):
            llm.reply(answer(code, _prose(str(number))))
        llm.reply(answer(CORRECT, _prose("final")))  # spent on the request refused as too long
        llm.reply(answer(CORRECT, _prose("final")))
        outcome, _ = _translate(llm, source, tmp_path, rounds=4)
        refused = [r for r in llm.requests if count_tokens(r["body"]["messages"]) + r["body"]["max_tokens"] > 2600]
    assert outcome.exit_code == 0 and outcome.rounds == 4, outcome.message
    assert len(refused) == 1  # the four latest rounds overflowed once; the retry fitted the window the server named
    [event] = [e for e in outcome.events if e["event"] == "context"]
    assert "2600-token budget" in event["detail"]
