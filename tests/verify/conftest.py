"""Helpers for the engine's tests: run the real CLI and read its JSON."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
EXAMPLES = HERE.parent.parent / "examples" / "fortran"



def pytest_collection_modifyitems(config, items):
    # Every test here compiles Fortran and C++; without the compilers they cannot say anything.
    if shutil.which("gfortran") and shutil.which("g++"):
        return
    skip = pytest.mark.skip(reason="needs gfortran and g++ (scripts/setup.sh installs them)")
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(skip)


@pytest.fixture
def examples() -> Path:
    return EXAMPLES


@pytest.fixture
def data() -> Path:
    return DATA


@pytest.fixture
def verify_cli(tv_cmd):
    """verify_cli(source, candidate, *flags) -> (exit code, parsed JSON, completed process)."""

    def run(source, candidate, *flags, env=None, timeout=120):
        argv = [*tv_cmd, "verify", str(source), str(candidate), "--json", *map(str, flags)]
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env)
        try:
            payload = json.loads(proc.stdout)
        except json.JSONDecodeError:
            pytest.fail(f"--json printed no JSON object (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
        assert "Traceback" not in proc.stderr, proc.stderr
        return proc.returncode, payload, proc

    return run


@pytest.fixture
def write(tmp_path):
    """write(name, text) -> Path of a file in this test's directory."""

    def make(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text)
        return path

    return make
