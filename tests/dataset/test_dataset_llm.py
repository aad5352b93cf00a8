"""`dataset build` with the Questioner-Solver loop, against the scripted OpenAI-compatible
server: multi-turn dialogues and the loop's own bug -> fix records land in the dataset."""

from __future__ import annotations

import json

from tests.dataset.conftest import read_rows
from tests.loop.samples import CORRECT, SAXPY, WRONG_BOUND, answer, endpoint
from tests.support.scripted_llm import ScriptedLLM


def test_llm_dialogues_and_fixes_become_dataset_rows(run_cli, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "saxpy.f90").write_text(SAXPY)
    out = tmp_path / "ds"
    with ScriptedLLM() as llm:
        llm.reply(answer(WRONG_BOUND)).reply(answer(CORRECT, "Fixed the loop bound."))
        done = run_cli("dataset", "build", str(corpus), "--to", "cpp", "--solver", "llm", "--out", str(out),
                       "--workers", "1", "--json", extra_env=endpoint(llm))
        assert done.returncode == 0, done.stderr
        assert len(llm.requests) == 2 and llm.pending() == 0
    summary = json.loads(done.stdout)
    assert summary["by_status"] == {"verified": 1}

    [dialogue] = read_rows(out, "dialogues")
    assert dialogue["source_file"] == "corpus/saxpy.f90"
    assert [m["role"] for m in dialogue["messages"]] == ["system", "user", "assistant", "user", "assistant"]
    assert "Fixed the loop bound." in dialogue["messages"][-1]["content"]
    [fix] = read_rows(out, "fixes")
    assert fix["before"] == WRONG_BOUND and fix["after"] == CORRECT and fix["origin"] == "loop"
    [verified] = read_rows(out, "verified")
    assert verified["translation"] == CORRECT and verified["rounds"] == 2 and verified["solver"] == "llm"
    [unit] = read_rows(out, "units")
    assert unit["rounds"] == 2 and unit["messages"] == 5
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["models"]["solver"] == "solver-model"
    assert manifest["models"]["endpoint"].startswith("http://127.0.0.1:")
    # The API key never reaches the dataset.
    for path in out.iterdir():
        assert "test-key" not in path.read_text(errors="replace"), path.name
