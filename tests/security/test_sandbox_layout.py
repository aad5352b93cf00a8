"""Item 2, at the level of the sandbox itself: what a sandboxed command can see of the host."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from transverify.verify import sandbox


@pytest.fixture
def workdir():
    if sandbox.isolation_mode() != "bwrap":
        pytest.skip("the file-system layout is bubblewrap's")
    path = sandbox.make_workdir("tv-layout-")
    yield path
    sandbox.remove_workdir(path)


def _sees(workdir: Path, path: str) -> bool:
    outcome = sandbox.run(["/bin/sh", "-c", f'test -e "{path}"'], workdir, sandbox.Limits(timeout=20))
    return outcome.returncode == 0


def test_only_system_and_toolchain_directories_are_visible(workdir):
    home = str(Path.home())
    for private in (home, "/root", "/home", "/run", "/var", "/var/run", "/etc/shadow", "/etc/ssh", "/srv",
                    os.environ["TRANSVERIFY_CACHE_DIR"]):
        assert not _sees(workdir, private), f"{private} is visible in the sandbox"
    for needed in ("/usr/bin", "/bin/sh", "/etc/ld.so.cache", "/etc/passwd", str(workdir)):
        assert _sees(workdir, needed), f"{needed} is missing in the sandbox"
    compiler = shutil.which("g++")
    if compiler:
        assert _sees(workdir, compiler)


def test_the_system_is_read_only_and_scratch_space_is_private(workdir):
    outcome = sandbox.run(["/bin/sh", "-c", "touch /usr/tv-probe; echo $?; touch /tmp/tv-probe && ls /tmp"],
                          workdir, sandbox.Limits(timeout=20))
    lines = outcome.stdout_text.split()
    assert lines[0] != "0", "the sandbox could write /usr"
    assert [n for n in lines[1:] if n != workdir.name] == ["tv-probe"], "the sandbox's /tmp is not its own"
    assert not Path("/usr/tv-probe").exists()


def test_a_read_only_file_cannot_be_changed_from_inside(workdir, tmp_path):
    cached = tmp_path / "artefact"
    cached.write_text("original")
    cached.chmod(0o666)  # even a writable file enters read-only
    sandbox.run(["/bin/sh", "-c", "echo poisoned > artefact; rm -f artefact; echo again > artefact"], workdir,
                sandbox.Limits(timeout=20), readonly={"artefact": cached})
    assert cached.read_text() == "original"
    assert cached.stat().st_nlink == 1
