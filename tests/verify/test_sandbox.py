"""Hostile candidates: each ends as exit 1 with a clear reason, quickly, leaving nothing behind
and changing nothing outside its sandbox."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
import uuid
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples" / "fortran"
SOURCE = EXAMPLES / "saxpy.f90"


def _processes_named(name: str) -> list[str]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if Path(f"/proc/{entry}/comm").read_text().strip() == name:
                    found.append(entry)
            except OSError:
                continue
    return found


def _instantiate(data: Path, template: str, tmp_path: Path, **subs: str) -> Path:
    text = (data / template).read_text()
    for key, value in subs.items():
        text = text.replace(f"@{key}@", value)
    path = tmp_path / template.replace(".in", "")
    path.write_text(text)
    return path


def test_infinite_loop_times_out(verify_cli, data):
    started = time.monotonic()
    code, out, _ = verify_cli(SOURCE, data / "spin.cpp", "--timeout", 1.5)
    assert time.monotonic() - started < 30
    assert code == 1 and out["stage"] == "run"
    assert "timed out after 1.5 s" in out["message"]


def test_segfault_is_named(verify_cli, data):
    code, out, _ = verify_cli(SOURCE, data / "segfault.cpp")
    assert code == 1 and out["stage"] == "run"
    assert "segmentation fault" in out["message"] and "case 0" in out["message"]
    assert out["diagnostics"][0]["file"].endswith("segfault.cpp")


def test_touching_100_gb_hits_the_memory_limit(verify_cli, data):
    started = time.monotonic()
    code, out, _ = verify_cli(SOURCE, data / "huge_alloc.cpp", "--timeout", 5)
    assert time.monotonic() - started < 30
    assert code == 1 and out["stage"] == "run"
    assert "crashed" in out["message"] or "aborted" in out["message"] or "killed" in out["message"]


@pytest.mark.parametrize("isolation", ["default", "unshare"])
def test_fork_spree_is_contained_and_reaped(verify_cli, data, tmp_path, isolation):
    if isolation == "unshare" and not shutil.which("unshare"):
        pytest.skip("util-linux unshare is not installed")
    name = "tv" + uuid.uuid4().hex[:10]
    candidate = _instantiate(data, "fork_spree.cpp.in", tmp_path, NAME=name)
    env = {**os.environ, "TRANSVERIFY_SANDBOX": "unshare"} if isolation == "unshare" else None
    code, out, _ = verify_cli(SOURCE, candidate, "--timeout", 1.5, env=env)
    assert code == 1 and out["stage"] == "run"
    assert "timed out" in out["message"]
    time.sleep(0.3)
    assert _processes_named(name) == [], "forked children survived the verification"


def test_writing_outside_the_sandbox_fails(verify_cli, data, tmp_path):
    for target in (Path("/var/tmp") / f"tv-escape-{uuid.uuid4().hex}", tmp_path / "escaped.txt"):
        candidate = _instantiate(data, "write_outside.cpp.in", tmp_path, PATH=str(target))
        code, out, _ = verify_cli(SOURCE, candidate)
        assert not target.exists(), f"the candidate wrote {target}"
        assert code == 1 and out["stage"] == "run"
        assert str(target) in out["message"]  # the program's own complaint is passed on


def test_network_is_unreachable(verify_cli, data, tmp_path):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    accepted = []

    def watch():
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not stop.is_set():
            try:
                accepted.append(server.accept())
            except OSError:
                continue

    stop = threading.Event()
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    candidate = _instantiate(data, "connect_out.cpp.in", tmp_path, PORT=str(server.getsockname()[1]))
    try:
        code, out, _ = verify_cli(SOURCE, candidate)
    finally:
        stop.set()
        watcher.join()
        server.close()
    assert accepted == [], "the candidate reached a server on the host"
    assert code == 1 and out["stage"] == "run" and "connect" in out["message"]


def test_without_namespaces_it_degrades_with_a_warning(verify_cli, examples):
    env = {**os.environ, "TRANSVERIFY_SANDBOX": "none"}
    code, out, _ = verify_cli(examples / "saxpy.f90", examples / "saxpy.cpp", "--no-cache", env=env)
    assert code == 0
    assert out["tools"]["sandbox"] == "none"
    assert any("resource limits only" in w for w in out["warnings"])
