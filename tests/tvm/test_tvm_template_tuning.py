"""translate --solver tvm --trials N on a kernel the lifter refuses but an operator template
recognises: the template's TE workload is tuned with MetaSchedule (cached, replayed in a new
process), and --fast-math records are kept apart from plain ones.

The budget is tiny (2 trials of a 32x32 GEMM, MetaSchedule's fixed seed): this checks the
plumbing, not the quality of the schedule.
"""

import json
import os
import subprocess
from pathlib import Path

import pytest

pytest.importorskip("tvm", reason="apache-tvm (the optional 'tvm' extra) is not installed")

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples" / "cuda"
TILED = EXAMPLES / "tiled_matmul" / "tiled_matmul.cu"


@pytest.fixture(autouse=True)
def _cpu_execution(monkeypatch):
    monkeypatch.setenv("TRANSVERIFY_CUDA_EXECUTION", "cpu")


def _tune(tv_cmd, output: Path, cache: Path, *flags: str):
    env = dict(os.environ, TRANSVERIFY_CACHE_DIR=str(cache))
    proc = subprocess.run(tv_cmd + ["translate", str(TILED), "--to", "cpu", "--solver", "tvm", "-o", str(output),
                                    "--cases", "2", "--trials", "2", "--value", "n=32", "--json", "--no-measure",
                                    *flags], capture_output=True, text=True, timeout=600, env=env)
    return proc, json.loads(proc.stdout)


def test_gemm_template_is_tuned_cached_and_fast_math_records_are_kept_apart(tv_cmd, tmp_path):
    cache = tmp_path / "cache"
    first, report = _tune(tv_cmd, tmp_path / "first.cpp", cache)
    assert first.returncode == 0, first.stdout + first.stderr
    assert report["verdict"] == "equivalent"
    tvm = report["tvm"]
    assert tvm["template"] == "gemm" and tvm["cached"] is False and tvm["tuning_shape"] == {"n": 32}
    assert tvm["trials"] > 0 and tvm["record_rank"] >= 0
    assert "operator template gemm, tuned at n=32" in report["message"]
    code = (tmp_path / "first.cpp").read_text()
    assert "operator template 'gemm'" in "\n".join(code.splitlines()[:3])
    # The tuned schedule at its shape, the template's default schedule for every other shape.
    assert "static void tiled_matmul_tuned(int n, const float* A, const float* B, float* C)" in code
    assert "static void tiled_matmul_any_shape(" in code and "if (n == 32) {" in code
    assert "Tuned by TVM MetaSchedule at n = 32" in code
    plain = Path(tvm["cache_dir"])
    assert plain.parent.parent == cache / "tvm" and (plain / "database_tuning_record.json").stat().st_size > 0
    records = (plain / "database_tuning_record.json").read_bytes()

    second, again = _tune(tv_cmd, tmp_path / "second.cpp", cache)
    assert second.returncode == 0, second.stdout + second.stderr
    assert again["tvm"]["cached"] is True and again["tvm"]["trials"] == tvm["trials"]
    assert again["tvm"]["cache_dir"] == tvm["cache_dir"]
    assert (tmp_path / "second.cpp").read_text() == code  # replayed, not tuned: the same code

    # --fast-math ranks candidates built with -ffast-math: the same workload has a folder of its own
    # (a time budget too short to measure anything keeps this cheap; the folder is made before tuning).
    fast, fast_report = _tune(tv_cmd, tmp_path / "fast.cpp", cache, "--fast-math", "--tune-seconds", "1")
    assert fast.returncode == 0, fast.stdout + fast.stderr  # the template's verified default stands if need be
    if "trials" in fast_report["tvm"]:  # a machine fast enough to measure within the budget
        assert fast_report["tvm"]["cached"] is False and fast_report["tvm"]["cache_dir"] != tvm["cache_dir"]
    else:
        assert any("within --tune-seconds 1" in note for note in fast_report["tvm"]["notes"]), fast_report["tvm"]
    targets = sorted((cache / "tvm").iterdir())
    assert len(targets) == 2, targets
    [fast_target] = [t for t in targets if t != plain.parent]
    assert fast_target.name.endswith("-fast-math") and not plain.parent.name.endswith("-fast-math")
    assert (fast_target / plain.name).is_dir()  # the same workload hash, under the fast-math key
    assert (plain / "database_tuning_record.json").read_bytes() == records  # plain records untouched
