"""A translation killed mid-dialogue leaves every completed turn and a consistent store."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess

from tests.loop.samples import NOT_COMPILING, answer, endpoint


def test_sigkill_while_the_solver_stalls_keeps_completed_turns(llm, source, store_path, tv_cmd, env, tmp_path,
                                                              private_tmp):
    llm.reply(answer(NOT_COMPILING)).stall()
    process = subprocess.Popen([*tv_cmd, "translate", str(source), "--to", "cpp", "--solver", "llm"],
                               env={**env, **endpoint(llm), "TMPDIR": str(private_tmp)},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        # The second request is sent only after the question of round 2 was committed.
        assert llm.wait_for_requests(2, timeout=120), "the loop never reached round 2"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL

    with sqlite3.connect(store_path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        status, rounds = db.execute("SELECT status, rounds FROM dialogues").fetchone()
        turns = db.execute("SELECT role, agent, code, feedback FROM turns ORDER BY seq").fetchall()
    assert status == "running" and rounds == 0  # never finished: the stats show it as such
    assert [(r, a) for r, a, _, _ in turns] == [("system", "system"), ("user", "task"),
                                                ("assistant", "solver"), ("user", "questioner")]
    assert turns[2][2] == NOT_COMPILING and json.loads(turns[2][3])["stage"] == "compile_candidate"
    assert not source.with_suffix(".cpp").exists()

    # The store stays usable: stats and exports read it; the dangling question is not exported.
    stats = subprocess.run([*tv_cmd, "records", "stats", "--json", "--store", str(store_path)], env=env,
                           capture_output=True, text=True, timeout=60)
    assert json.loads(stats.stdout)["by_status"] == {"running": 1}
    out = tmp_path / "messages.jsonl"
    subprocess.run([*tv_cmd, "records", "export", "--format", "messages", "--out", str(out), "--store",
                    str(store_path)], env=env, check=True, capture_output=True, timeout=60)
    [record] = [json.loads(line) for line in out.read_text().splitlines()]
    assert [m["role"] for m in record["messages"]] == ["system", "user", "assistant"]


def test_ctrl_c_cancels_cleanly_and_records_the_dialogue(llm, source, store_path, tv_cmd, env):
    llm.stall()
    process = subprocess.Popen([*tv_cmd, "translate", str(source), "--to", "cpp", "--solver", "llm"],
                               env={**env, **endpoint(llm)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        assert llm.wait_for_requests(1, timeout=120)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, stdout + stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    with sqlite3.connect(store_path) as db:
        assert db.execute("SELECT status FROM dialogues").fetchone()[0] == "cancelled"
    assert not source.with_suffix(".cpp").exists()
