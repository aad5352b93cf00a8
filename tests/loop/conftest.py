"""Fixtures for the translate command and the Questioner-Solver loop: a scripted
OpenAI-compatible server, a Fortran source in a private folder, and a CLI runner
whose environment names exactly the endpoint, config and record store of the test."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.loop.samples import SAXPY
from tests.support.scripted_llm import ScriptedLLM

@pytest.fixture
def private_tmp():
    """A temporary directory of the test's own (the sandboxed compiler must be able to enter it).
    A killed loop's folder in it is out of reach of loops that other tests start meanwhile,
    which would otherwise mark its dialogue `interrupted` (loop/workspace.py)."""
    path = Path(tempfile.mkdtemp(prefix="tv-loop-test-tmp-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def llm():
    with ScriptedLLM() as server:
        yield server


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "saxpy.f90"
    path.write_text(SAXPY)
    return path


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "records.sqlite"


@pytest.fixture
def env(tmp_path: Path, store_path: Path, tmp_path_factory) -> dict[str, str]:
    """No endpoint, a config file with fast retries, this test's own record store."""
    config = tmp_path / "config" / "transverify"
    config.mkdir(parents=True)
    (config / "config.toml").write_text("[llm]\nretry_backoff = 0.05\nmax_retries = 2\ntimeout = 30\n")
    environ = {k: v for k, v in os.environ.items()
               if not k.startswith(("OPENAI_", "TRANSVERIFY_MODEL", "TRANSVERIFY_QUESTIONER", "TRANSVERIFY_CAPTURE"))}
    environ.update(XDG_CONFIG_HOME=str(tmp_path / "config"), TRANSVERIFY_RECORDS=str(store_path),
                   TRANSVERIFY_CACHE_DIR=str(tmp_path_factory.getbasetemp() / "loop-cache"))
    return environ


@pytest.fixture
def run_cli(tv_cmd, env):
    def run(*args: str, extra_env: dict[str, str] | None = None, timeout: float = 180) -> subprocess.CompletedProcess:
        return subprocess.run([*tv_cmd, *args], env={**env, **(extra_env or {})}, capture_output=True,
                              text=True, timeout=timeout)
    return run
