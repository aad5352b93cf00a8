"""Fixtures of the security suite: a scratch directory owned by an ordinary user.

The helpers behind them live in unprivileged.py (importable by any test module here).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from unprivileged import require_unprivileged, user_dir  # noqa: E402


@pytest.fixture
def unprivileged_dir():
    """(user name, uid, gid, home) and a fresh directory owned by that user, removed afterwards."""
    user = require_unprivileged()
    path = user_dir()
    try:
        yield user, path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def needs_compilers():
    for tool in ("gfortran", "g++"):
        if not shutil.which(tool):
            pytest.skip(f"needs {tool} (scripts/setup.sh installs it)")


HELLO_F90 = "program hello\n  print '(a)', 'hello'\nend program hello\n"


@pytest.fixture
def verify_json(tv_cmd):
    """verify_json(source, candidate, *flags, env=None, as_user=False, cwd=None) -> (exit code, JSON).

    as_user=True runs the CLI as the ordinary user (unprivileged.py) with `env` as its whole
    environment."""
    import json
    import subprocess

    from unprivileged import run_as_unprivileged, transverify_command

    def run(source, candidate, *flags, env=None, as_user=False, cwd=None, timeout=300):
        if as_user:
            argv = [*transverify_command(), "verify", str(source), str(candidate), "--json", *map(str, flags)]
            proc = run_as_unprivileged(argv, env=env, cwd=cwd, timeout=timeout)
        else:
            argv = [*tv_cmd, "verify", str(source), str(candidate), "--json", *map(str, flags)]
            proc = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout)
        assert "Traceback" not in proc.stderr, proc.stderr
        try:
            return proc.returncode, json.loads(proc.stdout)
        except json.JSONDecodeError:
            pytest.fail(f"--json printed no JSON object (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}")

    return run


@pytest.fixture
def hello_source(tmp_path):
    path = tmp_path / "hello.f90"
    path.write_text(HELLO_F90)
    return path
