"""Shared test configuration.  Area-specific fixtures live in tests/<area>/conftest.py."""

import os
import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"


def transverify_command() -> list[str]:
    """The installed `transverify` entry point of the environment running the tests."""
    exe = Path(sys.executable).with_name("transverify")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "transverify"]


@pytest.fixture
def tv_cmd() -> list[str]:
    return transverify_command()


@pytest.fixture(scope="session")
def tv_cli():
    """`transverify` command lines run by one child process per test worker (tests/support/
    cli_worker.py): the libraries a command imports (apache-tvm: seconds) are imported once,
    not once per command. Tests of what needs a process of its own use tv_cmd."""
    from tests.support.cli_worker import CliWorker

    worker = CliWorker()
    yield worker
    worker.remove()


def session_shared_dir(tmp_path_factory) -> Path:
    """A folder all pytest-xdist workers of this run share (the run's own folder without xdist)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def computed_once(tmp_path_factory, name: str, compute):
    """compute()'s (picklable) value, computed by the first worker that asks for it and read back
    by the others: a module fixture under pytest-xdist runs in every worker that runs a test of
    its module."""
    import fcntl
    import pickle

    shared = session_shared_dir(tmp_path_factory) / f"computed-{name}.pickle"
    with open(shared.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if shared.exists():
            return pickle.loads(shared.read_bytes())
        value = compute()
        shared.write_bytes(pickle.dumps(value))
        return value


def session_cache_dir(tmp_path_factory) -> Path:
    return session_shared_dir(tmp_path_factory) / "cache"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    # Each test session gets its own reference cache and record store, never the user's. Under
    # pytest-xdist the workers share the cache (one folder above their own), as concurrent
    # verifications of one user do: a reference or a precompiled header is built once.
    base = tmp_path_factory.getbasetemp()
    monkeypatch.setenv("TRANSVERIFY_CACHE_DIR", str(session_cache_dir(tmp_path_factory)))
    monkeypatch.setenv("TRANSVERIFY_RECORDS", str(base / "records.sqlite"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(base / "config"))


def have(tool: str) -> bool:
    return shutil.which(tool) is not None
