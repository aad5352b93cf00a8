"""Cooperative groups' thread-block barrier (`cg::sync(block)`, `block.sync()`), the form NVIDIA's
own samples use, is a `__syncthreads()`: the CUDA -> CPU rules translate it and the verifier's
CPU layer runs it.  Other cooperative groups (a grid-wide barrier) are still refused by name
and line, by both."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent / "thread_groups"

pytestmark = pytest.mark.skipif(shutil.which("nvcc") is None or shutil.which("g++") is None,
                                reason="nvcc and g++ are needed to verify CUDA translations")


@pytest.fixture(autouse=True)
def cpu_layer_offline(monkeypatch):
    monkeypatch.setenv("TRANSVERIFY_CUDA_EXECUTION", "cpu")
    for name in ("OPENAI_BASE_URL", "TRANSVERIFY_MODEL"):
        monkeypatch.delenv(name, raising=False)


def _run(tv_cmd, *args: str) -> tuple[int, dict]:
    proc = subprocess.run([*tv_cmd, *args, "--json", "--cases", "4"], capture_output=True, text=True, timeout=600)
    return proc.returncode, json.loads(proc.stdout)


def test_a_thread_block_group_barrier_translates_and_verifies(tv_cmd, tmp_path: Path):
    out = tmp_path / "block_reverse_cpu.cpp"
    code, payload = _run(tv_cmd, "translate", str(HERE / "block_reverse_cg.cu"), "--to", "cpu", "-o", str(out),
                         "--no-capture")
    assert code == 0 and payload["result"]["verdict"] == "equivalent", payload
    text = out.read_text()
    assert "cooperative_groups" not in text and "__mul24" in text

    # The same kernel with its second barrier's effect dropped (reads a neighbour's slot): rejected.
    wrong = tmp_path / "wrong_cpu.cpp"
    wrong.write_text(text.replace("tile[BLOCK - 1 - threadIdx.x]", "tile[threadIdx.x]", 1))
    assert wrong.read_text() != text
    code, payload = _run(tv_cmd, "verify", str(HERE / "block_reverse_cg.cu"), str(wrong))
    assert code == 1 and payload["verdict"] == "not_equivalent", payload


def test_a_grid_wide_barrier_is_refused_by_name_and_line(tv_cmd, tmp_path: Path):
    source = HERE / "grid_sync_cg.cu"
    code, payload = _run(tv_cmd, "translate", str(source), "--to", "cpu", "-o", str(tmp_path / "out.cpp"),
                         "--no-capture")
    assert code == 2, payload
    assert any(u["line"] == 6 and "grid sync" in u["construct"] for u in payload["unsupported"]), payload
    candidate = tmp_path / "twice_cpu.cpp"
    candidate.write_text("void run_twice(float* y, int n) { for (int i = 0; i < n; ++i) y[i] = (y[i] + 1.0f) * 2.0f; }\n")
    proc = subprocess.run([*tv_cmd, "verify", str(source), str(candidate)], capture_output=True, text=True, timeout=300)
    said = proc.stdout + proc.stderr
    assert proc.returncode == 2 and "grid_sync_cg.cu:2" in said and "cooperative_groups" in said, said
