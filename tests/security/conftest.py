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
