"""End to end with an LSP client nobody here wrote: headless Neovim drives
`transverify serve` on a bundled Fortran example and applies the code action;
the verified C++ lands on disk."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import CORRECT_CPP, EXAMPLES, fenced, needs_translation, serve_command

pytestmark = [needs_translation, pytest.mark.skipif(shutil.which("nvim") is None, reason="Neovim (nvim) not installed")]

LUA = Path(__file__).with_name("nvim") / "translate.lua"


def test_neovim_applies_the_verified_translation(tmp_path: Path, llm):
    source = tmp_path / "saxpy.f90"
    shutil.copy(EXAMPLES / "fortran" / "saxpy.f90", source)
    # Rules first; should they not verify, the scripted Solver answers once.
    llm.reply(fenced(CORRECT_CPP))
    result_file = tmp_path / "result.json"
    env = {
        **os.environ,
        "TV_SOURCE": str(source), "TV_RESULT": str(result_file), "TV_LINE": "11",
        "TV_ACTION": "Translate to C++ and verify",
        "TV_SERVER_CMD": json.dumps(serve_command()),
        "TV_SETTINGS": json.dumps({"cases": 16, "recordsPath": str(tmp_path / "records.sqlite"),
                                   "llm": {"baseUrl": llm.base_url, "model": "scripted-model"}}),
        "XDG_STATE_HOME": str(tmp_path / "state"), "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    run = subprocess.run(["nvim", "--headless", "-n", "-i", "NONE", "--noplugin", "-u", str(LUA)],
                         env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result_file.exists(), f"Neovim wrote no result (exit {run.returncode}): {run.stderr[-2000:]}"
    result = json.loads(result_file.read_text())
    assert result["status"] == "ok", result
    assert result["answer"]["status"] == "applied" and result["answer"]["verdict"] == "equivalent", result

    target = tmp_path / "saxpy.cpp"
    code = target.read_text()
    assert "saxpy" in code
    # What Neovim wrote is the translation the server verified: check it again, independently.
    check = subprocess.run([*serve_command()[:-1], "verify", str(source), str(target), "--cases", "16", "--json"],
                           capture_output=True, text=True, timeout=240)
    assert check.returncode == 0, check.stdout + check.stderr
    assert json.loads(check.stdout)["verdict"] == "equivalent"
