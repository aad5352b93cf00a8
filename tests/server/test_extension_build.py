"""The VS Code extension builds, passes its own unit tests and packages a .vsix,
with no network (a dead proxy stands in for it)."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest

from .conftest import REPO

EXTENSION = REPO / "extension"
pytestmark = pytest.mark.skipif(shutil.which("npm") is None or shutil.which("node") is None,
                                reason="npm/node not installed: the VS Code extension cannot be built here")


def npm(*args: str, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    run = subprocess.run(["npm", *args], cwd=EXTENSION, capture_output=True, text=True, timeout=timeout,
                         env=env or os.environ)
    assert run.returncode == 0, f"npm {' '.join(args)} failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    return run


@pytest.fixture(autouse=True)
def one_build_at_a_time():
    """tests/editor_e2e packs the extension too, into the same extension/out."""
    with open(Path(tempfile.gettempdir()) / "transverify-extension-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
        fcntl.flock(lock, fcntl.LOCK_UN)


def test_extension_compiles_tests_and_packages(tmp_path: Path):
    if not (EXTENSION / "node_modules" / ".bin" / "tsc").exists():
        npm("ci", "--no-audit", "--no-fund", "--loglevel=error", timeout=600)  # what scripts/setup.sh --dev does
    offline = {**os.environ, "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9",
               "npm_config_offline": "true"}
    npm("run", "compile", env=offline)
    assert (EXTENSION / "out" / "extension.js").exists()
    tests = npm("test", env=offline)
    assert "# fail 0" in tests.stdout and "# pass " in tests.stdout

    vsix = tmp_path / "transverify.vsix"
    run = subprocess.run(["npx", "--no-install", "vsce", "package", "--no-rewrite-relative-links",
                          "-o", str(vsix)], cwd=EXTENSION, capture_output=True, text=True, timeout=300, env=offline)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    with zipfile.ZipFile(vsix) as archive:
        names = set(archive.namelist())
        manifest = archive.read("extension/package.json").decode()
    assert "extension/out/extension.js" in names
    assert any(n.startswith("extension/node_modules/vscode-languageclient/") for n in names)
    assert not any(n.startswith("extension/src/") for n in names)  # sources stay out of the package
    assert '"transverify.llm.baseUrl"' in manifest
