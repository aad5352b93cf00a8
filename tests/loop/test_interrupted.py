"""A loop killed mid-dialogue: at the next start its dialogue is marked `interrupted` and its
temporary folder removed, while a loop that is still running is left alone."""

from __future__ import annotations

import signal
import sqlite3
import subprocess

from tests.loop.samples import NOT_COMPILING, answer, endpoint


def _start(tv_cmd, env, source, llm, private_tmp) -> subprocess.Popen:
    return subprocess.Popen([*tv_cmd, "translate", str(source), "--to", "cpp", "--solver", "llm"],
                            env={**env, **endpoint(llm), "TMPDIR": str(private_tmp)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _statuses(store_path) -> list[str]:
    with sqlite3.connect(store_path) as db:
        return [row[0] for row in db.execute("SELECT status FROM dialogues ORDER BY created_at")]


def test_a_killed_loop_is_marked_interrupted_at_the_next_start(llm, source, store_path, tv_cmd, env, private_tmp):
    llm.reply(answer(NOT_COMPILING)).stall()
    process = _start(tv_cmd, env, source, llm, private_tmp)
    try:
        assert llm.wait_for_requests(2, timeout=120), "the loop never reached round 2"
        [folder] = list(private_tmp.glob("transverify-loop-*"))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert folder.is_dir() and _statuses(store_path) == ["running"]

    # The next start (here a rules-only translation, no LLM involved) cleans up.
    done = subprocess.run([*tv_cmd, "translate", str(source), "--to", "cpp", "--solver", "rules"],
                          env={**env, "TMPDIR": str(private_tmp)}, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not folder.exists() and not list(private_tmp.glob("transverify-loop-*"))
    assert _statuses(store_path) == ["interrupted", "accepted"]
    with sqlite3.connect(store_path) as db:
        rounds = db.execute("SELECT rounds FROM dialogues WHERE status = 'interrupted'").fetchone()[0]
    assert rounds == 1  # the Solver answer it had received


def test_a_running_loop_is_left_alone(llm, source, store_path, tv_cmd, env, private_tmp, tmp_path):
    llm.stall()
    process = _start(tv_cmd, env, source, llm, private_tmp)
    try:
        assert llm.wait_for_requests(1, timeout=120)
        [folder] = list(private_tmp.glob("transverify-loop-*"))
        other_store = tmp_path / "other.sqlite"
        done = subprocess.run([*tv_cmd, "translate", str(source), "--to", "cpp", "--solver", "rules",
                               "--records", str(other_store), "-o", str(tmp_path / "rules.cpp")],
                              env={**env, "TMPDIR": str(private_tmp)}, capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, done.stdout + done.stderr
        assert folder.is_dir() and _statuses(store_path) == ["running"]
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
    assert _statuses(store_path) == ["cancelled"] and not folder.exists()
