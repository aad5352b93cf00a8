"""`--engine ray` on a real local Ray cluster (a head on loopback with two worker CPUs, started
by the test): the same dataset as a local run, and a worker killed mid-run loses nothing."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from tests.dataset.conftest import make_corpus, read_rows

ray = pytest.importorskip("ray", reason="Ray is not installed (pip install 'transverify[ray]')")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def ray_cluster(tmp_path, cli_env):
    ray_cli = str(Path(sys.executable).with_name("ray"))
    port = _free_port()
    # Ray's Unix socket paths must stay under 108 bytes: a short folder of its own.
    temp = Path(tempfile.mkdtemp(prefix="tvray-"))
    # Loopback only (Ray otherwise advertises the machine's outward address), and patience
    # for the node's agents on a loaded 2-core machine.
    env = {**cli_env, "RAY_USAGE_STATS_ENABLED": "0", "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0",
           "RAY_agent_register_timeout_ms": "180000"}
    try:
        started = subprocess.run([ray_cli, "start", "--head", f"--port={port}", "--node-ip-address=127.0.0.1",
                                  "--num-cpus=2", "--include-dashboard=false", "--disable-usage-stats",
                                  f"--temp-dir={temp}"],
                                 env=env, capture_output=True, text=True, timeout=240)
        assert started.returncode == 0, started.stdout + started.stderr
        yield f"127.0.0.1:{port}", env
    finally:
        subprocess.run([ray_cli, "stop", "--force"], env=env, capture_output=True, timeout=120)
        shutil.rmtree(temp, ignore_errors=True)


def _stable(rows: list[dict]) -> list[str]:
    return sorted(json.dumps({k: v for k, v in row.items() if k != "seconds"}, sort_keys=True) for row in rows)


def _kill_one_task_worker(stop: threading.Event, killed: list[int]) -> None:
    """SIGKILL the first process running a unit as a Ray task (its title is ray::run_unit)."""
    while not stop.is_set() and not killed:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if cmdline.startswith(b"ray::run_unit"):
                try:
                    os.kill(int(entry.name), signal.SIGKILL)
                    killed.append(int(entry.name))
                except OSError:
                    pass
                return
        time.sleep(0.02)


def test_ray_gives_the_local_dataset_and_survives_a_killed_worker(run_cli, ray_cluster, tmp_path):
    address, env = ray_cluster
    corpus = make_corpus(tmp_path, 10)
    local = tmp_path / "local"
    done = run_cli("dataset", "build", str(corpus), "--to", "cpp", "--out", str(local), "--workers", "2", "--json")
    assert done.returncode == 0, done.stderr

    stop, killed = threading.Event(), []
    killer = threading.Thread(target=_kill_one_task_worker, args=(stop, killed), daemon=True)
    killer.start()
    out = tmp_path / "ray-ds"
    try:
        done = run_cli("dataset", "build", str(corpus), "--to", "cpp", "--out", str(out), "--engine", "ray",
                       "--ray-address", address, "--workers", "2", "--json", extra_env=env)
    finally:
        stop.set()
        killer.join()
    assert done.returncode == 0, done.stdout + done.stderr
    assert killed, "no Ray task worker was seen running a unit"
    summary = json.loads(done.stdout)
    assert summary["ran"] == summary["units"] == len(read_rows(local, "units"))
    for name in ("units", "pairs", "verified", "dialogues", "fixes", "rejected"):
        assert _stable(read_rows(out, name)) == _stable(read_rows(local, name)), name
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["engine"] == "ray" and manifest["status"] == "complete"
