"""`translate` takes verify's --shape/--value and hands them to the verification of the draft."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

STREAMS = Path(__file__).resolve().parents[2] / "examples" / "cuda" / "streams_axpby" / "streams_axpby.cu"


def _translate(tv_cmd, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(tv_cmd + ["translate", *args, "--no-capture", "--json"], capture_output=True, text=True,
                          timeout=600)


def test_a_malformed_shape_is_a_usage_error(tv_cmd, tmp_path):
    done = _translate(tv_cmd, str(STREAMS), "--to", "cpu", "-o", str(tmp_path / "out.cpp"), "--shape", "x")
    assert done.returncode == 2
    assert json.loads(done.stdout)["message"] == "--shape: expected NAME=EXPR, got 'x'"
    assert not (tmp_path / "out.cpp").exists()


def test_without_the_extents_the_draft_cannot_be_verified_and_the_flag_is_named(tv_cmd, tmp_path):
    done = _translate(tv_cmd, str(STREAMS), "--to", "cpu", "-o", str(tmp_path / "out.cpp"))
    assert done.returncode == 2
    report = json.loads(done.stdout)
    assert "cannot tell how many elements array parameter 'x' of axpby has; add --shape x=" in report["message"]


def test_a_shape_naming_no_parameter_reaches_the_verifier(tv_cmd, tmp_path):
    done = _translate(tv_cmd, str(STREAMS), "--to", "cpu", "-o", str(tmp_path / "out.cpp"),
                      "--shape", "x=n", "--shape", "y=n", "--value", "nope=3")
    assert done.returncode == 2
    assert "--value names 'nope', which is not a parameter of axpby" in json.loads(done.stdout)["message"]
