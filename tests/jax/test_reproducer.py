"""`verify --reproducer DIR` for PyTorch -> JAX: the folder holds the case's inputs and the
reference's parameters (npz) and run.py, which runs the torch reference and the JAX candidate
on that case and compares as the verifier does."""

import json
import os
import shutil
import subprocess
import sys

SOURCE = """import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.fc = nn.Linear(n, 3)

    def forward(self, x):
        return torch.relu(self.fc(x))


n = 5


def get_inputs():
    return [torch.randn(4, n)]


def get_init_inputs():
    return [n]
"""

CANDIDATE = """import jax.numpy as jnp


class Model:
    def __init__(self, n):
        self.n = n

    def __call__(self, params, x):
        return jnp.maximum(x @ params["fc.weight"].T + params["fc.bias"], 0.0)
"""
WRONG = CANDIDATE.replace("jnp.maximum(", "jnp.abs(").replace(", 0.0)", ")")


def run_reproducer(folder):
    env = {"PATH": os.environ["PATH"], "HOME": str(folder), "PYTHON": sys.executable}
    return subprocess.run(["sh", str(folder / "run.sh")], capture_output=True, text=True, timeout=180, env=env,
                          cwd="/")


def test_reproducer_shows_the_same_element_and_agrees_for_a_right_candidate(tv_cmd, tmp_path):
    source, wrong = tmp_path / "model.py", tmp_path / "model_jax.py"
    source.write_text(SOURCE)
    wrong.write_text(WRONG)
    folder = tmp_path / "repro"
    proc = subprocess.run([*tv_cmd, "verify", str(source), str(wrong), "--json", "--cases", "2", "--reproducer",
                           str(folder), "--reproducer-case", "1"], capture_output=True, text=True, timeout=300)
    payload = json.loads(proc.stdout)
    assert proc.returncode == 1 and payload["reproducer"]["case"] == 1, payload
    mismatch = next(m for m in payload["mismatches"] if m["case"] == 1)
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        "README.md", "candidate/user_candidate.py", "case.json", "case.npz", "reference/user_source.py", "run.py",
        "run.sh", "tv_harness/__init__.py", "tv_harness/candidate.py", "tv_harness/compare_trees.py",
        "tv_harness/reference.py", "tv_harness/transfer.py"]

    run = run_reproducer(folder)
    assert run.returncode == 1, run.stdout + run.stderr
    first = run.stdout.splitlines()[0]
    assert first.startswith(f"{mismatch['output']}{mismatch['index']}: expected "), run.stdout
    expected, actual = (float(v) for v in first.split("expected ")[1].split(" (")[0].split(", got "))
    assert abs(expected - mismatch["expected"]) < 1e-6 and abs(actual - mismatch["actual"]) < 1e-6
    assert "not equivalent on case 1 of Model" in run.stdout

    # The same inputs and parameters with a right candidate: the reproducer agrees.
    right = tmp_path / "right"
    shutil.copytree(folder, right)
    (right / "candidate" / "user_candidate.py").write_text(CANDIDATE)
    run = run_reproducer(right)
    assert run.returncode == 0 and "equivalent on case 1 of Model" in run.stdout, run.stdout + run.stderr
