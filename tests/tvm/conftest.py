"""Shared fixtures of the TVM tests."""

import pytest

from tests.support.cli_worker import CliWorker


@pytest.fixture(scope="session")
def tv_cli():
    """`transverify` command lines run by one child process per test worker (tests/support/
    cli_worker.py): apache-tvm is imported once, not once per translation."""
    worker = CliWorker()
    yield worker
    worker.remove()
