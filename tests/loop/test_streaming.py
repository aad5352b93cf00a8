"""Streamed replies: tokens show in the progress output, a cancel closes the stream so the
server stops generating, retries are visible, and an endpoint lost mid-loop is exit 2."""

from __future__ import annotations

import json
import re
import threading
import time

from tests.loop.samples import CORRECT, NOT_COMPILING, answer, endpoint
from transverify.translators.llm import LLMSettings
from transverify.translators.pipeline import TranslateRequest, translate
from transverify.translators.records import RecordStore
from transverify.verify import VerifyOptions


def _settings(llm) -> LLMSettings:
    return LLMSettings(base_url=llm.base_url, api_key=None, model="solver-model", max_retries=0)


def test_progress_shows_tokens_arriving(llm, source, tmp_path):
    reply = answer(CORRECT)
    llm.reply(reply, chunk_delay=0.03)  # about 2 s of streaming
    progress: list[str] = []
    outcome = translate(TranslateRequest(source=source, target="cpp", solver="llm", llm=_settings(llm),
                                         store=RecordStore.open(tmp_path / "r.sqlite", enabled=False),
                                         progress=progress.append, verify_options=VerifyOptions(cases=4)))
    assert outcome.exit_code == 0, outcome.message
    body = llm.requests[0]["body"]
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}
    counts = [int(m.group(1)) for line in progress if (m := re.fullmatch(r"solver: (\d+) tokens \(\d+ tok/s\)", line))]
    assert counts and counts == sorted(counts) and counts[-1] < len(reply) // 4 + 2
    assert llm.streams[0]["completed"]


def test_cancel_stops_the_servers_generation_within_a_second(llm, source, tmp_path):
    llm.reply("```cpp\n" + "// still thinking\n" * 200, chunk_delay=0.1)  # about 90 s if left to run
    cancel = threading.Event()
    box: dict = {}
    worker = threading.Thread(target=lambda: box.update(outcome=translate(TranslateRequest(
        source=source, target="cpp", solver="llm", llm=_settings(llm), cancel=cancel,
        store=RecordStore.open(tmp_path / "r.sqlite", enabled=True)))))
    worker.start()
    deadline = time.monotonic() + 60
    while not (llm.streams and llm.streams[0]["chunks"] >= 3) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert llm.streams and llm.streams[0]["chunks"] >= 3, "the reply never started streaming"
    cancel.set()
    cancelled_at = time.monotonic()
    worker.join(timeout=30)
    assert not worker.is_alive()
    returned_at = time.monotonic()
    deadline = time.monotonic() + 5
    while llm.streams[0]["disconnected_at"] is None and time.monotonic() < deadline:
        time.sleep(0.02)
    stream = llm.streams[0]
    assert not stream["completed"] and stream["chunks"] < stream["total"]
    assert stream["disconnected_at"] is not None, "the server never noticed the client leave"
    # The reply would stream for ~90 s: stopping within a few seconds shows the cancel reached the
    # socket (typically well under a second; the bound leaves room for a loaded CI machine).
    assert stream["disconnected_at"] - cancelled_at < 5.0
    assert returned_at - cancelled_at < 5.0
    outcome = box["outcome"]
    assert outcome.message == "cancelled"
    assert RecordStore.open(tmp_path / "r.sqlite").dialogue(outcome.dialogue_id)["status"] == "cancelled"


def test_retries_show_in_progress_and_json(llm, source, run_cli, tmp_path):
    llm.error(503, "loading model").reply(answer(CORRECT))
    done = run_cli("translate", str(source), "--to", "cpp", "--solver", "llm", "-o", str(tmp_path / "a.cpp"),
                   extra_env=endpoint(llm))
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"solver: HTTP 503 from \S+: .*loading model.*; retrying in 0\.1s \(attempt 2 of 3\)",
                     done.stderr), done.stderr
    llm.error(429, "slow down", retry_after=0).reply(answer(CORRECT))
    done = run_cli("translate", str(source), "--to", "cpp", "--solver", "llm", "-o", str(tmp_path / "b.cpp"),
                   "--json", extra_env=endpoint(llm))
    assert done.returncode == 0, done.stdout + done.stderr
    [retry] = json.loads(done.stdout)["retries"]
    assert (retry["agent"], retry["attempt"], retry["delay"]) == ("solver", 1, 0.0)
    assert retry["reason"].startswith(f"HTTP 429 from {llm.base_url}") and "slow down" in retry["reason"]


def test_an_endpoint_lost_mid_loop_is_exit_2_and_says_so(llm, source, store_path, run_cli, tmp_path):
    llm.reply(answer(NOT_COMPILING)).die()
    out = tmp_path / "saxpy.cpp"
    done = run_cli("translate", str(source), "--to", "cpp", "--solver", "llm", "-o", str(out), "--json",
                   extra_env=endpoint(llm))
    assert done.returncode == 2, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["message"].startswith(f"the endpoint {llm.base_url} stopped answering after 1 round(s): "
                                        f"cannot reach the LLM endpoint {llm.base_url}")
    assert "To use an LLM, point transverify" not in report["message"] + report["details"]
    assert "answered earlier in this translation" in report["details"]
    assert [r["attempt"] for r in report["retries"]] == [1, 2]  # max_retries = 2 in the test config
    assert not out.exists() and report["written"] is False
    with __import__("sqlite3").connect(store_path) as db:
        assert db.execute("SELECT status FROM dialogues").fetchone()[0] == "endpoint_error"


def test_a_server_that_ignores_stream_still_works(llm, source, run_cli):
    completion = {"id": "x", "object": "chat.completion", "created": 0, "model": "m",
                  "choices": [{"index": 0, "message": {"role": "assistant", "content": answer(CORRECT)},
                               "finish_reason": "stop"}],
                  "usage": {"prompt_tokens": 10, "completion_tokens": 20, "total_tokens": 30}}
    llm.garbage(json.dumps(completion))
    done = run_cli("translate", str(source), "--to", "cpp", "--solver", "llm", extra_env=endpoint(llm))
    assert done.returncode == 0, done.stdout + done.stderr
    assert source.with_suffix(".cpp").read_text() == CORRECT


def test_options_a_server_refuses_are_dropped_or_renamed(llm, source, tmp_path):
    llm.error(400, "Unrecognized request argument supplied: stream_options")
    llm.error(400, "Unsupported parameter: 'max_tokens' is not supported with this model. Use "
                   "'max_completion_tokens' instead.")
    llm.reply(answer(CORRECT))
    outcome = translate(TranslateRequest(source=source, target="cpp", solver="llm", llm=_settings(llm),
                                         store=RecordStore.open(tmp_path / "r.sqlite", enabled=False),
                                         verify_options=VerifyOptions(cases=4)))
    assert outcome.exit_code == 0, outcome.message
    first, second, third = (r["body"] for r in llm.requests)
    assert "stream_options" in first and "stream_options" not in second and second["stream"] is True
    assert "max_completion_tokens" not in second and third["max_completion_tokens"] == second["max_tokens"]
    assert "max_tokens" not in third


def test_a_stream_that_stalls_past_the_timeout_is_dropped_and_retried(llm, source, tmp_path):
    llm.reply(answer(CORRECT), chunk_delay=3.0).reply(answer(CORRECT))
    settings = LLMSettings(base_url=llm.base_url, api_key=None, model="solver-model", max_retries=1,
                           retry_backoff=0.0, timeout=1.0)
    outcome = translate(TranslateRequest(source=source, target="cpp", solver="llm", llm=settings,
                                         store=RecordStore.open(tmp_path / "r.sqlite", enabled=False),
                                         verify_options=VerifyOptions(cases=4)))
    assert outcome.exit_code == 0, outcome.message
    [retry] = outcome.retries
    assert retry["reason"] == f"no reply from {llm.base_url} within 1s"
    deadline = time.monotonic() + 10
    while llm.streams[0]["disconnected_at"] is None and time.monotonic() < deadline:
        time.sleep(0.05)
    # The abandoned stream was closed: the server stopped generating it at its next token.
    assert llm.streams[0]["disconnected_at"] is not None and llm.streams[0]["chunks"] <= 1
    assert llm.streams[1]["completed"]
