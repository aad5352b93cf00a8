"""The translate command's Questioner-Solver loop, driven through the real CLI
against a scripted OpenAI-compatible server and the real verification engine."""

from __future__ import annotations

import json
import sqlite3

from tests.loop.samples import CORRECT, NOT_COMPILING, WRONG_BOUND, answer, endpoint


def _last_user(request: dict) -> str:
    return [m for m in request["body"]["messages"] if m["role"] == "user"][-1]["content"]


def _dialogue_rows(store_path):
    with sqlite3.connect(store_path) as db:
        db.row_factory = sqlite3.Row
        dialogues = [dict(r) for r in db.execute("SELECT * FROM dialogues")]
        turns = [dict(r) for r in db.execute("SELECT * FROM turns ORDER BY dialogue_id, seq")]
    return dialogues, turns


def test_three_rounds_questions_carry_diagnostics_and_mismatches(llm, source, store_path, run_cli, tmp_path):
    llm.reply(answer(NOT_COMPILING)).reply(answer(WRONG_BOUND)).reply(answer(CORRECT, "Fixed the loop bound."))
    out = tmp_path / "out" / "saxpy.cpp"
    done = run_cli("translate", str(source), "--to", "cpp", "--solver", "llm", "-o", str(out), "--json",
                   extra_env=endpoint(llm))
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["verdict"] == "equivalent" and report["exit_code"] == 0
    assert report["solver_used"] == "llm" and report["rounds"] == 3
    assert report["output"] == str(out) and out.read_text() == CORRECT
    assert report["result"]["verdict"] == "equivalent" and report["result"]["cases"] > 0
    assert len(llm.requests) == 3
    assert all(r["body"]["model"] == "solver-model" for r in llm.requests)
    assert llm.requests[0]["headers"].get("authorization") == "Bearer test-key"

    dialogues, turns = _dialogue_rows(store_path)
    assert len(dialogues) == 1 and dialogues[0]["id"] == report["dialogue_id"]
    assert dialogues[0]["status"] == "accepted" and dialogues[0]["verdict"] == "equivalent"
    assert [(t["role"], t["agent"]) for t in turns] == [
        ("system", "system"), ("user", "task"), ("assistant", "solver"), ("user", "questioner"),
        ("assistant", "solver"), ("user", "questioner"), ("assistant", "solver")]
    first_feedback = json.loads(turns[2]["feedback"])
    second_feedback = json.loads(turns[4]["feedback"])
    assert first_feedback["stage"] == "compile_candidate"
    assert second_feedback["verdict"] == "not_equivalent" and second_feedback["mismatches"]

    # Round 2's question quotes the compiler's own message and the candidate line it points at.
    diag = first_feedback["diagnostics"][0]
    question = _last_user(llm.requests[1])
    assert question.startswith("Your translation is not yet equivalent to the Fortran source.")
    assert diag["message"] in question and "was not declared" in question
    assert f"Line {diag['line']}" in question and "y[i] = a * x[i] + z[i];" in question
    # Round 3's question names the output, case, index and both values of the first mismatch.
    mismatch = second_feedback["mismatches"][0]
    question = _last_user(llm.requests[2])
    assert f"Output `y` at index {mismatch['index']} differs in case {mismatch['case']}" in question
    assert f"expected {mismatch['expected']}, got {mismatch['actual']}" in question
    # The Solver sees the whole dialogue so far.
    assert [m["role"] for m in llm.requests[2]["body"]["messages"]] == ["system", "user", "assistant", "user",
                                                                         "assistant", "user"]

    # Exports: exactly the dialogue, in each format's shape.
    sent = llm.requests[2]["body"]["messages"] + [{"role": "assistant", "content": answer(CORRECT, "Fixed the loop bound.")}]
    exported = {}
    for fmt in ("messages", "openai-chat", "sharegpt", "codepair"):
        target = tmp_path / f"{fmt}.jsonl"
        done = run_cli("records", "export", "--format", fmt, "--out", str(target), "--store", str(store_path))
        assert done.returncode == 0, done.stderr
        exported[fmt] = [json.loads(line) for line in target.read_text().splitlines()]
    assert exported["messages"] == [{"id": report["dialogue_id"], "messages": sent, "source_file": "saxpy.f90"}]
    assert exported["openai-chat"] == [{"messages": sent}]
    assert exported["sharegpt"] == [{
        "id": report["dialogue_id"], "system": sent[0]["content"],
        "conversations": [{"from": {"user": "human", "assistant": "gpt"}[m["role"]], "value": m["content"]}
                          for m in sent[1:]]}]
    [pair] = exported["codepair"]
    assert set(pair) == {"id", "pair", "source_language", "target_language", "source_file", "source_code",
                         "target_code", "verdict", "origin"}
    assert (pair["pair"], pair["source_language"], pair["target_language"]) == ("fortran->cpp", "fortran", "cpp")
    assert pair["source_code"] == source.read_text() and pair["target_code"] == CORRECT
    assert (pair["verdict"], pair["origin"]) == ("equivalent", "llm")

    stats = json.loads(run_cli("records", "stats", "--json", "--store", str(store_path)).stdout)
    assert (stats["dialogues"], stats["turns"], stats["verified_translations"], stats["fixes"]) == (1, 7, 1, 1)
    assert stats["fixes_by_origin"] == {"loop": 1}


def test_past_fixes_are_retrieved_as_bug_context(llm, source, run_cli, tmp_path):
    llm.reply(answer(NOT_COMPILING)).reply(answer(CORRECT))
    first = run_cli("translate", str(source), "--to", "cpp", "--solver", "llm", "-o", str(tmp_path / "a.cpp"),
                    extra_env=endpoint(llm))
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Similar bugs fixed before" not in _last_user(llm.requests[1])
    llm.reply(answer(NOT_COMPILING)).reply(answer(CORRECT))
    second = run_cli("translate", str(source), "--to", "cpp", "--solver", "llm", "-o", str(tmp_path / "b.cpp"),
                     extra_env=endpoint(llm))
    assert second.returncode == 0, second.stdout + second.stderr
    task = llm.requests[2]["body"]["messages"][1]["content"]
    assert "Bugs fixed before when translating similar code" in task and "z[i]" in task
    assert "Bugs fixed before" not in llm.requests[0]["body"]["messages"][1]["content"]
    question = _last_user(llm.requests[3])
    assert "Similar bugs fixed before" in question
    # The worked example is the earlier repair: the faulty line and its fix.
    assert "z[i]" in question.split("Similar bugs fixed before", 1)[1]
    assert "y[i] = a * x[i] + y[i];" in question.split("Fixed code:", 1)[1]


def test_max_rounds_reached_exits_1_and_keeps_the_last_candidate(llm, source, store_path, run_cli, tmp_path):
    llm.reply(answer(NOT_COMPILING)).reply(answer(WRONG_BOUND))
    out = tmp_path / "saxpy.cpp"
    done = run_cli("translate", str(source), "--to", "cpp", "--solver", "llm", "--max-rounds", "2",
                   "-o", str(out), extra_env=endpoint(llm))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "NOT verified" in done.stdout and "max rounds reached" in done.stdout
    assert "outputs differ" in done.stdout
    assert out.read_text() == WRONG_BOUND and "unverified" in done.stdout
    assert len(llm.requests) == 2 and llm.pending() == 0
    dialogues, turns = _dialogue_rows(store_path)
    assert dialogues[0]["status"] == "not_verified" and dialogues[0]["rounds"] == 2
    assert turns[-1]["role"] == "assistant"  # no question is asked after the last round
    for only, expected in (("--verified-only", 0), ("--pair=fortran->cpp", 1)):
        target = tmp_path / "export.jsonl"
        done = run_cli("records", "export", "--format", "openai-chat", "--out", str(target), only)
        assert done.returncode == 0 and f"wrote {expected} openai-chat record(s)" in done.stdout
        assert len(target.read_text().splitlines()) == expected


def test_rate_limit_then_success(llm, source, run_cli, tmp_path):
    llm.error(429, "slow down", retry_after=0).error(503, "busy").reply(answer(CORRECT))
    done = run_cli("translate", str(source), "--to", "cpp", "--solver", "llm", "-o", str(tmp_path / "s.cpp"),
                   "--json", extra_env=endpoint(llm))
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["rounds"] == 1
    assert len(llm.requests) == 3
    assert llm.requests[0]["body"] == llm.requests[2]["body"]  # the same request, retried


def test_endpoint_down_says_so_and_writes_nothing(source, store_path, run_cli, tmp_path):
    out = tmp_path / "never.cpp"
    done = run_cli("translate", str(source), "--to", "cpp", "--solver", "llm", "-o", str(out), "--json",
                   extra_env={"OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "TRANSVERIFY_MODEL": "m"})
    assert done.returncode == 2, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert "cannot reach the LLM endpoint http://127.0.0.1:9/v1" in report["message"]
    assert "gave up after 3 attempt(s)" in report["message"]
    assert not out.exists() and report["written"] is False
    dialogues, turns = _dialogue_rows(store_path)
    assert dialogues[0]["status"] == "endpoint_error" and len(turns) == 2


def test_garbage_http_bodies_are_a_clear_error(llm, source, run_cli):
    llm.garbage("<html><body>502 proxy error</body></html>", content_type="text/html")
    llm.garbage('{"choices": [{"message": ')
    llm.garbage('{"status": "ok"}')
    for _ in range(3):
        done = run_cli("translate", str(source), "--to", "cpp", "--solver", "llm", extra_env=endpoint(llm))
        assert done.returncode == 2, done.stdout + done.stderr
        assert f"the endpoint {llm.base_url} sent a reply that is not an OpenAI-compatible chat completion" \
            in done.stdout
        assert "Traceback" not in done.stdout + done.stderr
    assert not source.with_suffix(".cpp").exists() and llm.pending() == 0


def test_reply_without_code_becomes_a_question(llm, source, store_path, run_cli):
    llm.reply("I would be glad to help! Fortran is a fine language.")
    llm.reply("```cpp\nvoid saxpy(int n, float a, const float* x, float* y) {\n    for (int i = 0; i < n; ++i) {")
    llm.reply(answer(CORRECT))
    done = run_cli("translate", str(source), "--to", "cpp", "--solver", "llm", extra_env=endpoint(llm))
    assert done.returncode == 0, done.stdout + done.stderr
    assert _last_user(llm.requests[1]).startswith("Your reply did not contain a complete translation.")
    assert "contained no cpp code block" in _last_user(llm.requests[1])
    assert "cut off inside the code block" in _last_user(llm.requests[2])
    assert source.with_suffix(".cpp").read_text() == CORRECT
    _, turns = _dialogue_rows(store_path)
    assert [t["code"] is None for t in turns if t["role"] == "assistant"] == [True, True, False]


def test_llm_questioner_uses_its_own_model_and_the_digest(llm, source, run_cli):
    llm.reply(answer(NOT_COMPILING))
    llm.reply("1. Where is `z` declared? The Fortran adds y(i), not z(i).")
    llm.reply(answer(CORRECT))
    done = run_cli("translate", str(source), "--to", "cpp", "--solver", "llm", "--questioner", "llm",
                   "--questioner-model", "critic-model", extra_env=endpoint(llm))
    assert done.returncode == 0, done.stdout + done.stderr
    solver, questioner, solver_again = llm.requests
    assert questioner["body"]["model"] == "critic-model" and solver_again["body"]["model"] == "solver-model"
    shown = _last_user(questioner)
    assert "was not declared" in shown and "   3          y[i] = a * x[i] + z[i];" in shown
    assert "Where is `z` declared?" in _last_user(solver_again)


def test_no_endpoint_configured_explains_what_is_missing(source, run_cli):
    done = run_cli("translate", str(source), "--to", "cpp", "--solver", "llm")
    assert done.returncode == 2
    text = done.stdout + done.stderr
    assert "no LLM endpoint is configured" in text
    for needed in ("OPENAI_BASE_URL", "TRANSVERIFY_MODEL", "--base-url", "config.toml", "[llm]"):
        assert needed in text
    assert not source.with_suffix(".cpp").exists()


def test_opt_out_records_nothing(llm, source, store_path, run_cli):
    llm.reply(answer(CORRECT)).reply(answer(CORRECT))
    done = run_cli("translate", str(source), "--to", "cpp", "--solver", "llm", "--no-capture",
                   extra_env=endpoint(llm))
    assert done.returncode == 0, done.stdout + done.stderr
    done = run_cli("translate", str(source), "--to", "cpp", "--solver", "llm",
                   extra_env={**endpoint(llm), "TRANSVERIFY_CAPTURE": "0"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert not store_path.exists()


def test_bad_input_is_exit_2_with_the_file_named(run_cli, tmp_path, source):
    missing = tmp_path / "nope.f90"
    done = run_cli("translate", str(missing), "--to", "cpp")
    assert done.returncode == 2 and f"{missing}: no such file" in done.stderr + done.stdout
    done = run_cli("translate", str(source), "--to", "rust")
    assert done.returncode == 2 and "unknown target 'rust'" in done.stdout
    done = run_cli("translate", str(source), "--to", "cpp", "-o", str(source))
    assert done.returncode == 2 and "would overwrite the source" in done.stdout
    assert source.read_text().startswith("! y <- a*x + y")
    done = run_cli("records", "export", "--format", "alpaca", "--out", str(tmp_path / "x.jsonl"))
    assert done.returncode == 2 and "unknown format 'alpaca'" in done.stderr


def test_an_unwritable_store_never_stops_a_translation(llm, source, run_cli, tmp_path):
    llm.reply(answer(CORRECT))
    blocked = tmp_path / "a-directory.sqlite"
    blocked.mkdir()
    done = run_cli("translate", str(source), "--to", "cpp", "--solver", "llm", "--records", str(blocked),
                   extra_env=endpoint(llm))
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"records are no longer captured: {blocked}: cannot open the record store" in done.stderr
    assert source.with_suffix(".cpp").read_text() == CORRECT


def test_refused_key_and_missing_key_variable_are_named(llm, source, run_cli):
    llm.error(401, "invalid api key")
    done = run_cli("translate", str(source), "--to", "cpp", "--solver", "llm", extra_env=endpoint(llm))
    assert done.returncode == 2 and "HTTP 401" in done.stdout and "the API key was refused" in done.stdout
    assert len(llm.requests) == 1  # an auth error is not retried
    done = run_cli("translate", str(source), "--to", "cpp", "--solver", "llm", "--api-key-env", "NO_SUCH_KEY_VAR",
                   extra_env=endpoint(llm))
    assert done.returncode == 2 and "--api-key-env NO_SUCH_KEY_VAR: that environment variable is not set" in done.stderr


def test_a_source_that_does_not_compile_stops_the_loop(llm, source, run_cli):
    source.write_text(source.read_text().replace("y(i) = a * x(i) + y(i)", "y(i) = a * x(i) + + oops("))
    llm.reply(answer(CORRECT)).reply(answer(CORRECT))
    done = run_cli("translate", str(source), "--to", "cpp", "--solver", "llm", "--json", extra_env=endpoint(llm))
    assert done.returncode == 2, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["result"]["stage"] == "compile_source" and "saxpy.f90:11" in report["message"]
    assert len(llm.requests) == 1  # no Solver answer can fix the source


def test_failing_questioner_model_falls_back_to_rule_questions(llm, source, run_cli):
    llm.reply(answer(NOT_COMPILING)).error(401, "no such key for the critic").reply(answer(CORRECT))
    done = run_cli("translate", str(source), "--to", "cpp", "--solver", "llm", "--questioner", "llm",
                   "--questioner-model", "critic-model", extra_env=endpoint(llm))
    assert done.returncode == 0, done.stdout + done.stderr
    question = _last_user(llm.requests[2])
    assert "was not declared" in question
    assert "(The Questioner model was unavailable: HTTP 401" in question and "these questions are rule-based" in question
