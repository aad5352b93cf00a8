import json
import subprocess

import pytest


@pytest.fixture
def verify_json(tv_cmd, monkeypatch):
    """Run `transverify verify ... --json` on the CPU path; returns (exit code, result dict)."""
    monkeypatch.setenv("TRANSVERIFY_CUDA_EXECUTION", "cpu")

    def run(source, candidate, *flags):
        proc = subprocess.run(tv_cmd + ["verify", str(source), str(candidate), "--json", "--cases", "3", *flags],
                              capture_output=True, text=True, timeout=300)
        return proc.returncode, json.loads(proc.stdout)

    return run
