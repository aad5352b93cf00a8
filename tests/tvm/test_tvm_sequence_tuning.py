"""`--trials N` on an entry of several launches or of launches in a host loop: each launch is tuned
at the entry's shape with a share of the trials, keeps its default schedule for other sizes, and
the tuned whole verifies against the .cu; a second run finds every launch's records cached."""

import json
import os
from pathlib import Path

import pytest

pytest.importorskip("tvm", reason="apache-tvm (the optional 'tvm' extra) is not installed")

KERNELS = Path(__file__).resolve().parent / "kernels"
PING_PONG = Path(__file__).resolve().parents[2] / "examples" / "cuda_rules" / "ping_pong_steps_cu.cu"


@pytest.fixture(autouse=True)
def _cpu_execution(monkeypatch):
    monkeypatch.setenv("TRANSVERIFY_CUDA_EXECUTION", "cpu")


def _tune(tv_cli, source: Path, out: Path, cache: Path, *flags: str):
    env = dict(os.environ, TRANSVERIFY_CACHE_DIR=str(cache))
    proc = tv_cli.run(["translate", str(source), "--to", "cpu", "--solver", "tvm", "--trials", "2", "--json",
                       "--cases", "2", "-o", str(out), *flags], timeout=600, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads(proc.stdout)


def test_two_launches_are_tuned_at_the_shape_and_keep_the_default_elsewhere(tv_cli, tmp_path):
    out, cache = tmp_path / "normalise_cpu.cpp", tmp_path / "cache"
    shape = ("--value", "rows=64", "--value", "cols=48")
    result = _tune(tv_cli, KERNELS / "lift_two_launches.cu", out, cache, *shape)
    assert result["verdict"] == "equivalent", result
    tvm = result["tvm"]
    assert tvm["tuning_shape"] == {"rows": 64, "cols": 48}
    # one trial each: the budget of 2 is shared between the two launches
    assert [(launch["kernel"], launch["trials"], launch["cached"]) for launch in tvm["launches"]] == \
        [("row_totals", 1, False), ("divide_rows", 1, False)], tvm
    assert tvm["trials"] == 2 and not tvm["cached"] and tvm["tvm_best_ms"] > 0
    code = out.read_text()
    # each launch's function picks its tuned schedule at the shape, its default one at any other
    for name in ("normalise_rows_launch1", "normalise_rows_launch2"):
        assert f"static void {name}_tuned(" in code and f"static void {name}_any_shape(" in code
        assert code.count(f"        {name}_tuned(rows, cols, x, total, y);") == 1
    assert code.count("    if (rows == 64 && cols == 48) {") == 2
    assert "shared among the launches" in code.split("#include", 1)[0]

    again = tmp_path / "again.cpp"
    second = _tune(tv_cli, KERNELS / "lift_two_launches.cu", again, cache, *shape)
    assert second["verdict"] == "equivalent" and second["tvm"]["cached"], second["tvm"]
    assert all(launch["cached"] for launch in second["tvm"]["launches"])
    assert again.read_text() == code


def test_a_host_loop_launch_reading_no_size_runs_its_tuned_schedule_on_every_step(tv_cli, tmp_path):
    out = tmp_path / "heat_cpu.cpp"
    result = _tune(tv_cli, PING_PONG, out, tmp_path / "cache", "--value", "steps=3")
    assert result["verdict"] == "equivalent", result
    assert [launch["kernel"] for launch in result["tvm"]["launches"]] == ["relax"]
    code = out.read_text()
    assert "// Launch 1's tuned schedule (it reads no integer parameter: one shape)." in code
    assert "_any_shape" not in code
    # the host loop and its buffer swap are as without tuning
    assert "        heat_launch1(steps, w, u_now, v_now, t);\n        std::swap(u_now, v_now);" in code
